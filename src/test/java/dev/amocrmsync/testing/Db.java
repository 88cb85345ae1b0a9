package dev.amocrmsync.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/** Plain JDBC against the test database: what the tests read back is what a SQL client would see. */
public final class Db {

    private final DataSource dataSource;

    public Db(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Every table of the mirror and the sync's state emptied, as on a fresh database (the schema stays): whatever
     * tables the entities' migrations made. The catalogs with their state, the account, the tokens, the webhook events
     * and the request budget stay, as tests of those manage them.
     */
    public void reset() {
        List<String> tables = rows("""
                SELECT tablename FROM pg_tables WHERE schemaname = current_schema()
                  AND tablename NOT IN ('flyway_schema_history', 'amocrm_users', 'amocrm_custom_fields', 'amocrm_catalogs',
                                        'amocrm_pipelines', 'amocrm_statuses', 'amocrm_loss_reasons', 'amocrm_tags',
                                        'sync_account', 'oauth_tokens', 'amocrm_webhook_events', 'amocrm_request_budget')
                """).stream().map(row -> (String) row.get("tablename")).toList();
        update("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
    }

    public int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public List<Map<String, Object>> rows(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet result = statement.executeQuery()) {
                ResultSetMetaData meta = result.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        row.put(meta.getColumnLabel(i), result.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    public Object value(String sql, Object... parameters) {
        List<Map<String, Object>> rows = rows(sql, parameters);
        return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
    }

    public long count(String sql, Object... parameters) {
        return ((Number) value(sql, parameters)).longValue();
    }

    /** Rows in {@code table}; 0 while the application has not created it yet. */
    public long rowsIn(String table) {
        return value("SELECT to_regclass(?)", table) == null ? 0 : count("SELECT count(*) FROM " + table);
    }

    private static void bind(PreparedStatement statement, Object[] parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
    }
}
