package io.jipc;

import io.jipc.internal.codec.RecordReader;
import io.jipc.internal.dispatch.BoundHandler;
import tools.jackson.databind.JsonNode;

/**
 * The handlers {@code on(type, Class, handler)} registers: they bind each payload to the Java type, from the tree
 * ({@code handle}) or, when the payload was read straight into the record ({@code handleRecord}, see
 * {@link io.jipc.internal.codec.RecordRoute}), as it is. Immutable; errors as the handler's own.
 */
final class TypedHandlers {
    private TypedHandlers() {
    }

    /** What both kinds share: the binding, and the type and reader a route is decided by. */
    private abstract static class Bound<T> implements BoundHandler {
        final Codec.Binding<T> binding;

        Bound(Codec.Binding<T> binding) {
            this.binding = binding;
        }

        /** @return {@code record}, which the binding's reader made, so of exactly the bound type */
        @SuppressWarnings("unchecked")
        final T bound(Object record) {
            return (T) record;
        }

        @Override
        public final Class<?> payloadType() {
            return binding.type();
        }

        @Override
        public final RecordReader reader() {
            return binding.reader();
        }
    }

    /** A server's handler of payloads bound to {@code T}. */
    static final class OnServer<T> extends Bound<T> implements ServerHandler<JsonNode> {
        private final ServerHandler<T> handler;

        OnServer(Codec.Binding<T> binding, ServerHandler<T> handler) {
            super(binding);
            this.handler = handler;
        }

        @Override
        public void handle(JsonNode data, IpcSocket socket) throws Exception {
            handler.handle(binding.bind(data), socket);
        }

        /** Handles a payload already read into the record this binds to. */
        void handleRecord(Object record, IpcSocket socket) throws Exception {
            handler.handle(bound(record), socket);
        }
    }

    /** A client's handler of payloads bound to {@code T}. */
    static final class OnClient<T> extends Bound<T> implements ClientHandler<JsonNode> {
        private final ClientHandler<T> handler;

        OnClient(Codec.Binding<T> binding, ClientHandler<T> handler) {
            super(binding);
            this.handler = handler;
        }

        @Override
        public void handle(JsonNode data) throws Exception {
            handler.handle(binding.bind(data));
        }

        /** Handles a payload already read into the record this binds to. */
        void handleRecord(Object record) throws Exception {
            handler.handle(bound(record));
        }
    }
}
