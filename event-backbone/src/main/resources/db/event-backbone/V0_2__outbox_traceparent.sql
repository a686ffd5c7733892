-- The W3C traceparent of the transaction that wrote the event (null when it ran outside any trace):
-- the relay sends it as the Kafka header traceparent, the envelope carries it as the CloudEvents
-- distributed-tracing extension attribute, so the consumer's span joins the producer's trace.
ALTER TABLE outbox_event ADD COLUMN traceparent VARCHAR(55);
