package dev.amocrmsync.sync;

import io.smallrye.mutiny.Uni;

/**
 * One transaction of a run's reading (a plan frozen, a page committed, a plan completed), made when its turn comes:
 * the run's writes go down one lane, one at a time, as its reactive session requires.
 */
@FunctionalInterface
interface Write {
    Uni<Void> commit();
}
