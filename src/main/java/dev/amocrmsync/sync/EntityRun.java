package dev.amocrmsync.sync;

import dev.amocrmsync.amocrm.AmoCrmClient;
import dev.amocrmsync.mirror.Entity;
import dev.amocrmsync.mirror.RowMapper;
import dev.amocrmsync.scan.EntityScanner;

/** One entity within a run: what it reads ({@code decision}) and the mapping it reads with. */
record EntityRun<R>(Entity<R> entity, RowMapper<R> mapper, Planner.Decision decision) {

    String name() {
        return entity.name();
    }

    EntityScanner<R> scanner(AmoCrmClient client, int parallelism, Runnable beforeRequest) {
        return new EntityScanner<>(client, entity, mapper, parallelism, beforeRequest);
    }
}
