package dev.amocrmsync.sync;

import dev.amocrmsync.scan.Entity;
import dev.amocrmsync.scan.EntityScanner;
import dev.amocrmsync.scan.RowMapper;

/** One entity within a run: what it reads ({@code decision}) and the mapping it reads with. */
record EntityRun<R>(Entity<R> entity, RowMapper<R> mapper, Planner.Decision decision) {

    String name() {
        return entity.name();
    }

    EntityScanner<R> scanner(dev.amocrmsync.amocrm.AmoCrmClient client, int parallelism, Runnable beforeRequest) {
        return new EntityScanner<>(client, entity, mapper, parallelism, beforeRequest);
    }
}
