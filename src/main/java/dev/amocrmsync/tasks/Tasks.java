package dev.amocrmsync.tasks;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.amocrmsync.mirror.Deletions;
import dev.amocrmsync.mirror.EachItem;
import dev.amocrmsync.mirror.Entity;
import dev.amocrmsync.mirror.ItemList;
import dev.amocrmsync.mirror.Mirrored;
import dev.amocrmsync.mirror.RowMapper;
import dev.amocrmsync.mirror.Table;
import io.smallrye.mutiny.Uni;

/**
 * Tasks, mirrored into {@code amocrm_tasks}: what the sales team has to do, on which deal, contact or company, by when,
 * and how it ended. The task list does not document {@code order[updated_at]}, so it is read by windows proven whole
 * by their lowest and highest ids. amoCRM has no bin for tasks: a deletion is told by a {@code task_deleted} event, and
 * a full sync looks up by id the tasks it did not find.
 */
@ApplicationScoped
public class Tasks implements Mirrored {

    private final Entity<TaskRow> entity;

    Tasks(ObjectMapper json) {
        this.entity = Entity.<TaskRow> named("tasks", "task", 40)
                .list(ItemList.unordered("tasks", "tasks", null))
                .table(Table.named("amocrm_tasks", "amocrm_task_id", TaskRow::amocrmTaskId)
                        .columns("entity_type text", "entity_id bigint", "task_type_id bigint", "text text",
                                "is_completed boolean", "result_text text", "responsible_user_id bigint",
                                "group_id bigint", "created_by bigint", "updated_by bigint", "duration bigint",
                                "raw jsonb")
                        .times("created_at", "complete_till")
                        .build())
                .mapping(() -> Uni.createFrom().item(RowMapper.onWorker(items -> EachItem.map(items, "task",
                        item -> {
                            Task task = json.treeToValue(item.raw(), Task.class);
                            return new TaskRow(item.id(), task.entityType(), task.entityId(), task.taskTypeId(),
                                    task.text(), task.isCompleted(), task.resultText(), task.responsibleUserId(),
                                    task.groupId(), task.createdBy(), task.updatedBy(), task.duration(),
                                    task.createdAt(), task.completeTill(), item.updatedAt(), item.raw());
                        }))))
                .deletions(Deletions.byEventsWithoutRestore("task", "task_deleted").withSweep())
                .webhooks("task")
                .build();
    }

    @Override
    public Entity<TaskRow> entity() {
        return entity;
    }
}
