package dev.amocrmsync.mirror;

/**
 * A bean of an entity's package that describes it to the engine: the engine finds every one of these and names no
 * entity itself. Adding an entity is a package with one of these, its row record and mapping, and a migration.
 */
public interface Mirrored {

    Entity<?> entity();
}
