package io.jipc.internal.dispatch;

import io.jipc.internal.codec.RecordReader;
import io.jipc.internal.codec.RecordRoute;
import java.util.List;

/**
 * The route of one event type whose handlers all take its payloads as the same record: those handlers, as they
 * were when the route was made, are the ones a message read on it goes to (so a message decoded as a record
 * never reaches a handler that wants the tree). Immutable.
 *
 * @param <H> the handler type
 */
public final class TypedRoute<H> extends RecordRoute {
    private final Object[] handlers;

    private TypedRoute(RecordReader reader, Object[] handlers) {
        super(reader);
        this.handlers = handlers;
    }

    /**
     * @return the route of {@code handlers} (in order), or null unless there is at least one and each is a
     *         {@link BoundHandler} of the same type with a reader
     */
    static <H> TypedRoute<H> of(List<H> handlers) {
        Object[] all = handlers.toArray();
        if (all.length == 0 || !(all[0] instanceof BoundHandler first) || first.reader() == null) {
            return null;
        }
        for (Object h : all) {
            if (!(h instanceof BoundHandler b) || b.payloadType() != first.payloadType() || b.reader() == null) {
                return null;
            }
        }
        return new TypedRoute<>(first.reader(), all);
    }

    /** @return how many handlers the route delivers to */
    public int size() {
        return handlers.length;
    }

    /** @return handler {@code i}, in registration order */
    @SuppressWarnings("unchecked")
    public H handler(int i) {
        return (H) handlers[i];
    }
}
