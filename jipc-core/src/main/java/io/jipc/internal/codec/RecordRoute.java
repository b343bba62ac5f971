package io.jipc.internal.codec;

/**
 * The decision to read the payloads of one event type straight into records ({@link RecordReader}'s), because
 * every handler of that type takes them as such. The decoder looks routes up per message
 * ({@link Table#routeOf}) and hands a payload it read this way on as {@link WireMessage#record()}, with the route;
 * what else a route holds (the handlers it was decided for) is the dispatcher's. Immutable.
 */
public abstract class RecordRoute {
    private final RecordReader reader;

    /** @param reader reads the payloads of this route's type */
    protected RecordRoute(RecordReader reader) {
        this.reader = reader;
    }

    /** @return what reads the payloads */
    public final RecordReader reader() {
        return reader;
    }

    /** The routes by event type. Thread-safe: looked up by the I/O threads while handlers are registered. */
    public interface Table {
        /** @return the route of {@code type}, or null to parse its payloads into a tree */
        RecordRoute routeOf(String type);
    }
}
