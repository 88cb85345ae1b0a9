package dev.amocrmsync.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.amocrmsync.catalog.ColumnNames.Named;

class ColumnNamesTest {

    @Test
    void russianNamesBecomeReadableSnakeCase() {
        assertThat(ColumnNames.base("Дата начала аренды")).isEqualTo("data_nachala_arendy");
        assertThat(ColumnNames.base("Доп. услуги")).isEqualTo("dop_uslugi");
        assertThat(ColumnNames.base("RentProg ID")).isEqualTo("rentprog_id");
        assertThat(ColumnNames.base("Объём, м3 (щётки)")).isEqualTo("obem_m3_shchetki");
        assertThat(ColumnNames.base("Café Ёлка")).isEqualTo("cafe_elka");
    }

    @Test
    void namesWithoutLettersOrStartingWithADigitStillMakeIdentifiers() {
        assertThat(ColumnNames.base("")).isEqualTo("field");
        assertThat(ColumnNames.base("🚗 !!!")).isEqualTo("field");
        assertThat(ColumnNames.base(null)).isEqualTo("field");
        assertThat(ColumnNames.base("1С код")).isEqualTo("f_1s_kod");
    }

    @Test
    void longNamesAreCutTo63Characters() {
        String name = ColumnNames.base("Очень длинное название поля ".repeat(5));
        assertThat(name).hasSizeLessThanOrEqualTo(63).doesNotEndWith("_").startsWith("ochen_dlinnoe_nazvanie_polya");
        Map<Long, String> twins = ColumnNames.of(List.of(new Named(1, name), new Named(902_277, name)));
        assertThat(twins.get(902_277L)).hasSizeLessThanOrEqualTo(63).endsWith("_902277");
    }

    @Test
    void aSharedNameStaysWithTheOldestFieldAndTheOthersGetTheirId() {
        Map<Long, String> names = ColumnNames.of(List.of(new Named(902_277, "Залог"), new Named(902_265, "Залог"),
                new Named(902_279, "ЗАЛОГ!")));

        assertThat(names).containsEntry(902_265L, "zalog").containsEntry(902_277L, "zalog_902277")
                .containsEntry(902_279L, "zalog_902279");
    }

    @Test
    void namesDoNotDependOnTheCatalogOrder() {
        List<Named> fields = List.of(new Named(3, "Сумма"), new Named(1, "Сумма"), new Named(2, "Итог"));
        assertThat(ColumnNames.of(fields)).isEqualTo(ColumnNames.of(List.of(fields.get(2), fields.get(1), fields.get(0))));
    }

    @Test
    void addingAFieldWithATakenNameRenamesNoExistingColumn() {
        Map<Long, String> before = ColumnNames.of(List.of(new Named(10, "Город"), new Named(11, "Улица")));
        Map<Long, String> after = ColumnNames.of(List.of(new Named(10, "Город"), new Named(11, "Улица"),
                new Named(12, "город")));

        assertThat(after).containsAllEntriesOf(before).containsEntry(12L, "gorod_12");
    }

    @Test
    void theViewsOwnColumnsAreNeverShadowed() {
        assertThat(ColumnNames.of(List.of(new Named(5, "is deleted"), new Named(6, "amoCRM deal ID"))))
                .containsEntry(5L, "is_deleted_5").containsEntry(6L, "amocrm_deal_id_6");
    }

    @Test
    void anIdSuffixThatMeetsALiteralNameStillGivesDistinctNames() {
        Map<Long, String> names = ColumnNames.of(List.of(new Named(7, "x"), new Named(8, "x"), new Named(9, "x 8")));

        assertThat(names.values()).doesNotHaveDuplicates();
        assertThat(names).containsEntry(7L, "x").containsEntry(9L, "x_8");
    }
}
