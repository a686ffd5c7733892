package io.concertticket.telemetry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Every log record of the application (all loggers, all levels) whose message speaks of exporting, kept for asserting. */
final class ExportLog extends Handler implements AutoCloseable {

    private final List<String> records = new CopyOnWriteArrayList<>();

    static ExportLog capture() {
        ExportLog log = new ExportLog();
        Logger.getLogger("").addHandler(log);
        return log;
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage() == null ? "" : record.getMessage();
        if (message.contains("export") || message.contains("Export")) {
            records.add(record.getLevel() + " " + record.getLoggerName() + ": " + message);
        }
    }

    List<String> records() {
        return List.copyOf(records);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
