package dev.amocrmsync.testing;

/** The shared test PostgreSQL, reached without CDI (command-line tests run the application as a whole). */
public final class TestDatabase {

    private TestDatabase() {
    }

    public static Db db() {
        return new Db(PostgresResource.dataSource());
    }

    /** A database as on a fresh machine: every table dropped, so the command under test migrates from scratch. */
    public static Db emptied() {
        Db db = db();
        db.update("DROP SCHEMA public CASCADE");
        db.update("CREATE SCHEMA public");
        return db;
    }
}
