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

    /** A server's handler of payloads bound to {@code T}. */
    static final class OnServer<T> implements ServerHandler<JsonNode>, BoundHandler {
        private final Codec.Binding<T> binding;
        private final ServerHandler<T> handler;

        OnServer(Codec.Binding<T> binding, ServerHandler<T> handler) {
            this.binding = binding;
            this.handler = handler;
        }

        @Override
        public void handle(JsonNode data, IpcSocket socket) throws Exception {
            handler.handle(binding.bind(data), socket);
        }

        /** Handles a payload already read into the record this binds to. */
        void handleRecord(Object record, IpcSocket socket) throws Exception {
            handler.handle(binding.type().cast(record), socket);
        }

        @Override
        public Class<?> payloadType() {
            return binding.type();
        }

        @Override
        public RecordReader reader() {
            return binding.reader();
        }
    }

    /** A client's handler of payloads bound to {@code T}. */
    static final class OnClient<T> implements ClientHandler<JsonNode>, BoundHandler {
        private final Codec.Binding<T> binding;
        private final ClientHandler<T> handler;

        OnClient(Codec.Binding<T> binding, ClientHandler<T> handler) {
            this.binding = binding;
            this.handler = handler;
        }

        @Override
        public void handle(JsonNode data) throws Exception {
            handler.handle(binding.bind(data));
        }

        /** Handles a payload already read into the record this binds to. */
        void handleRecord(Object record) throws Exception {
            handler.handle(binding.type().cast(record));
        }

        @Override
        public Class<?> payloadType() {
            return binding.type();
        }

        @Override
        public RecordReader reader() {
            return binding.reader();
        }
    }
}
