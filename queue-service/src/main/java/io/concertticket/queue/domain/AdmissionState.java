package io.concertticket.queue.domain;

/** Whether a sale's waiting room admits anyone. */
public enum AdmissionState {
    /** batches at the sale's pace */
    RUNNING,
    /** held by an operator: nobody admitted, places frozen; resume continues in order */
    PAUSED,
    /** "queue everyone", the emergency stop: nobody admitted (active sessions may have been ended too) */
    STOPPED
}
