package io.jipc.internal.dispatch;

import io.jipc.internal.codec.RecordReader;

/**
 * A message handler that takes its payloads bound to one Java type. An event type whose handlers all are, to the
 * same record, gets a {@link TypedRoute}: its payloads are then read straight into that record.
 */
public interface BoundHandler {
    /** @return the Java type payloads are bound to */
    Class<?> payloadType();

    /** @return the reader of that type, or null when payloads bind through Jackson (no route then) */
    RecordReader reader();
}
