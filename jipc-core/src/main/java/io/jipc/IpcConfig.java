package io.jipc;

import io.jipc.internal.config.Defaults;
import io.jipc.internal.config.Validation;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every node-ipc option with node-ipc's <em>real</em> default (what its code does, not what its README
 * says), plus the few jipc additions. Immutable, thread-safe, validated once in {@link Builder#build()}.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>appspace</td><td>{@code "app."}</td><td>prefix of the default local socket name</td></tr>
 *   <tr><td>socketRoot</td><td>modern: {@code $XDG_RUNTIME_DIR/node-ipc/} or
 *       {@code <tmpdir>/node-ipc-<uid>/}; legacy: {@code /tmp/}</td>
 *       <td>prefix of the default local path: {@code socketRoot + appspace + id} (no path joining)</td></tr>
 *   <tr><td>id</td><td>the host name</td><td>this instance's service id</td></tr>
 *   <tr><td>networkHost / networkPort</td><td>{@code 127.0.0.1} / {@code 8000}</td>
 *       <td>defaults of {@code serveNet}/{@code connectToNet}</td></tr>
 *   <tr><td>readableAll / writableAll</td><td>false</td><td>socket file mode: owner-only unless set</td></tr>
 *   <tr><td>encoding</td><td>{@code utf8}</td><td>string encoding for raw mode; frames are always UTF-8</td></tr>
 *   <tr><td>rawBuffer</td><td>false</td><td>no framing, no JSON: bytes in, bytes out</td></tr>
 *   <tr><td>delimiter</td><td>{@code "\f"}</td><td>frame delimiter; must contain a control character
 *       (one JSON always escapes) unless rawBuffer</td></tr>
 *   <tr><td>sync</td><td>false</td><td>one client message in flight; the next goes when the server sends anything</td></tr>
 *   <tr><td>silent / logger</td><td>false / SLF4J</td><td>log sink; payloads are never logged</td></tr>
 *   <tr><td>maxConnections</td><td>100</td><td>further connections are closed at once</td></tr>
 *   <tr><td>retry</td><td>500 ms</td><td>fixed delay before each reconnect attempt</td></tr>
 *   <tr><td>maxRetries</td><td>infinite</td><td>reconnect attempts after a drop (a failed first connect gets 1 + maxRetries); 0 = no reconnect</td></tr>
 *   <tr><td>stopRetrying</td><td>false</td><td>never reconnect (also settable live on {@link Ipc})</td></tr>
 *   <tr><td>unlink</td><td>true</td><td>remove a stale socket file (only if it is a socket) before binding</td></tr>
 *   <tr><td>interfaces</td><td>none</td><td>local address/port a TCP/TLS client binds</td></tr>
 *   <tr><td>tls</td><td>none</td><td>TLS for network servers and clients ({@link TlsOptions})</td></tr>
 *   <tr><td>backoff / maxRetryDelay</td><td>false / 30 s</td><td>jipc: exponential reconnect backoff with jitter</td></tr>
 *   <tr><td>reusePort</td><td>false</td><td>jipc: SO_REUSEPORT for TCP servers (cluster analogue)</td></tr>
 *   <tr><td>maxPendingBytes</td><td>64 MiB (FAST), 8 MiB (GUARDED/ASSURED)</td><td>bound on bytes queued per connection (outbound, or by a client
 *       while not connected); past it emits fail with {@code ERR_IPC_BACKPRESSURE} (GUARDED/ASSURED: and the
 *       connection closes, as in node-ipc 14)</td></tr>
 *   <tr><td>payloadProfile</td><td>{@link PayloadProfile#MODERN}</td><td>jipc: legacy or modern send rules</td></tr>
 *   <tr><td>frameCodec</td><td>none</td><td>custom framing instead of the delimiter ({@link FrameCodec})</td></tr>
 *   <tr><td>parser</td><td>{@link ParserProfile#FAST}</td><td>RAW, FAST, GUARDED or ASSURED (node-ipc 14)</td></tr>
 *   <tr><td>maxMessageSize</td><td>64 MiB (FAST), 1 MiB (GUARDED/ASSURED)</td><td>larger inbound frames are refused</td></tr>
 *   <tr><td>maxEventNameLength / messageTimeout</td><td>none / forever (FAST); 256 / 30 s (GUARDED/ASSURED)</td><td>limits</td></tr>
 *   <tr><td>allowReservedEvents / allowedEvents</td><td>false / any</td><td>reserved-name and allow-list checks (GUARDED/ASSURED)</td></tr>
 *   <tr><td>closeOnProtocolError</td><td>false (FAST), always (GUARDED/ASSURED)</td><td>close after a refused frame</td></tr>
 *   <tr><td>secureSocketRoot</td><td>true (MODERN), false (LEGACY)</td><td>the socket root is made 0700; a symlink or foreign owner is refused</td></tr>
 *   <tr><td>preferNativeTransport</td><td>true</td><td>jipc: native epoll when it loads, else JDK NIO</td></tr>
 *   <tr><td>ioThreads</td><td>1</td><td>jipc: event-loop threads of the instance (node-ipc: one event loop)</td></tr>
 *   <tr><td>busyPollMicros</td><td>0</td><td>jipc: how long an idle event loop polls before it sleeps</td></tr>
 *   <tr><td>jsonMapper</td><td>a default {@link JsonMapper}</td><td>jipc: binds payloads to Java types</td></tr>
 * </table>
 *
 * <p>Invalid values fail in {@link Builder#build()} with an {@link IllegalArgumentException} naming
 * the option, the value and what was expected.
 */
public final class IpcConfig {
    /** {@link #maxRetries()} value meaning "retry forever" (node-ipc's {@code Infinity}). */
    public static final int INFINITE_RETRIES = Integer.MAX_VALUE;

    private final Builder b;

    private IpcConfig(Builder b) {
        this.b = b;
    }

    /** A builder with node-ipc 14's defaults ({@link PayloadProfile#MODERN}). */
    public static Builder builder() {
        return new Builder(PayloadProfile.MODERN);
    }

    /** A builder with the defaults of the given node-ipc generation. */
    public static Builder builder(PayloadProfile profile) {
        return new Builder(Objects.requireNonNull(profile, "profile"));
    }

    /** node-ipc 14's defaults. */
    public static IpcConfig defaults() {
        return builder().build();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return b.copy();
    }

    /** @return {@code appspace} */
    public String appspace() { return b.appspace; }
    /** @return {@code socketRoot}, a plain string prefix */
    public String socketRoot() { return b.socketRoot; }
    /** @return {@code id} */
    public String id() { return b.id; }
    /** @return {@code networkHost} */
    public String networkHost() { return b.networkHost; }
    /** @return {@code networkPort} */
    public int networkPort() { return b.networkPort; }
    /** @return {@code readableAll} */
    public boolean readableAll() { return b.readableAll; }
    /** @return {@code writableAll} */
    public boolean writableAll() { return b.writableAll; }
    /** @return {@code encoding}, normalised to lower case */
    public String encoding() { return b.encoding; }
    /** @return {@code rawBuffer} */
    public boolean rawBuffer() { return b.rawBuffer; }
    /** @return {@code delimiter} */
    public String delimiter() { return b.delimiter; }
    /** @return {@code sync} */
    public boolean sync() { return b.sync; }
    /** @return {@code silent} */
    public boolean silent() { return b.silent; }
    /** @return the {@code logger} sink, or {@code null} for SLF4J */
    public Consumer<String> logger() { return b.logger; }
    /** @return {@code maxConnections} */
    public int maxConnections() { return b.maxConnections; }
    /** @return {@code retry} */
    public Duration retry() { return b.retry; }
    /** @return {@code maxRetries}, {@link #INFINITE_RETRIES} for infinity */
    public int maxRetries() { return b.maxRetries; }
    /** @return {@code stopRetrying} */
    public boolean stopRetrying() { return b.stopRetrying; }
    /** @return {@code unlink} */
    public boolean unlink() { return b.unlink; }
    /** @return {@code interfaces}, or {@code null} */
    public ClientInterface interfaces() { return b.interfaces; }
    /** @return {@code tls}, or {@code null} when TLS is off */
    public TlsOptions tls() { return b.tls; }
    /** @return the payload profile */
    public PayloadProfile payloadProfile() { return b.payloadProfile; }
    /** @return the largest inbound frame accepted, in bytes (delimiter excluded) */
    public int maxMessageSize() { return b.maxMessageSize; }
    /** @return same as {@link #maxMessageSize()} */
    public int maxFrameLength() { return b.maxMessageSize; }
    /** @return the custom framing, or {@code null} for the delimiter */
    public FrameCodec frameCodec() { return b.frameCodec; }
    /** @return the parser profile */
    public ParserProfile parser() { return b.parser; }
    /** @return longest accepted event name (0 = no limit) */
    public int maxEventNameLength() { return b.maxEventNameLength; }
    /** @return longest an incomplete frame may wait ({@code Duration.ZERO} = forever) */
    public Duration messageTimeout() { return b.messageTimeout; }
    /** @return whether reserved names may be message types under GUARDED/ASSURED */
    public boolean allowReservedEvents() { return b.allowReservedEvents; }
    /** @return the allow-list, or {@code null} for any type */
    public java.util.Set<String> allowedEvents() { return b.allowedEvents; }
    /** @return whether a refused frame closes its connection */
    public boolean closeOnProtocolError() { return b.closeOnProtocolError; }
    /** @return whether the socket root is secured */
    public boolean secureSocketRoot() { return b.secureSocketRoot; }
    /** @return whether the native transport is used when available */
    public boolean preferNativeTransport() { return b.preferNativeTransport; }
    /** @return whether reconnects back off exponentially */
    public boolean backoff() { return b.backoff; }
    /** @return the cap on the backoff delay */
    public Duration maxRetryDelay() { return b.maxRetryDelay; }
    /** @return whether TCP servers bind with SO_REUSEPORT */
    public boolean reusePort() { return b.reusePort; }
    /** @return most bytes a client queues while not connected */
    public long maxPendingBytes() { return b.maxPendingBytes; }
    /** @return the mapper used to bind payloads */
    public JsonMapper jsonMapper() { return b.jsonMapper; }
    /** @return the number of event-loop threads of an instance */
    public int ioThreads() { return b.ioThreads; }
    /** @return how long, in microseconds, an event loop with nothing to do polls before it sleeps (0: it sleeps at once) */
    public int busyPollMicros() { return b.busyPollMicros; }

    /** The default local path for a service: {@code socketRoot + appspace + id}. */
    public String localPath(String serviceId) {
        return b.socketRoot + b.appspace + serviceId;
    }

    @Override
    public String toString() {
        return "IpcConfig{id=" + b.id + ", profile=" + b.payloadProfile + ", socketRoot=" + b.socketRoot
            + ", appspace=" + b.appspace + ", rawBuffer=" + b.rawBuffer + ", retry=" + b.retry.toMillis()
            + "ms, maxRetries=" + (b.maxRetries == INFINITE_RETRIES ? "Infinity" : b.maxRetries) + "}";
    }

    /** Mutable, not thread-safe builder; {@link #build()} validates and snapshots it. */
    public static final class Builder {
        String appspace = "app.";
        String socketRoot;
        String id;
        String networkHost = "127.0.0.1";
        int networkPort = 8000;
        boolean readableAll;
        boolean writableAll;
        String encoding = "utf8";
        boolean rawBuffer;
        String delimiter = "\f";
        boolean sync;
        boolean silent;
        Consumer<String> logger;
        int maxConnections = 100;
        Duration retry = Duration.ofMillis(500);
        int maxRetries = INFINITE_RETRIES;
        boolean stopRetrying;
        boolean unlink = true;
        ClientInterface interfaces;
        TlsOptions tls;
        PayloadProfile payloadProfile;
        JsonMapper jsonMapper;
        boolean preferNativeTransport = true;
        boolean backoff;
        Duration maxRetryDelay = Duration.ofSeconds(30);
        boolean reusePort;
        Long maxPendingBytes;
        ParserProfile parser = ParserProfile.FAST;
        Integer maxMessageSize;
        Integer maxEventNameLength;
        Duration messageTimeout;
        boolean allowReservedEvents;
        java.util.Set<String> allowedEvents;
        Boolean closeOnProtocolError;
        Boolean secureSocketRoot;
        FrameCodec frameCodec;
        int ioThreads = 1;
        int busyPollMicros;

        Builder(PayloadProfile profile) {
            this.payloadProfile = profile;
        }

        Builder copy() {
            Builder c = new Builder(payloadProfile);
            c.appspace = appspace; c.socketRoot = socketRoot; c.id = id; c.networkHost = networkHost;
            c.networkPort = networkPort; c.readableAll = readableAll; c.writableAll = writableAll;
            c.encoding = encoding; c.rawBuffer = rawBuffer; c.delimiter = delimiter; c.sync = sync;
            c.silent = silent; c.logger = logger; c.maxConnections = maxConnections; c.retry = retry;
            c.maxRetries = maxRetries; c.stopRetrying = stopRetrying; c.unlink = unlink;
            c.interfaces = interfaces; c.tls = tls; c.jsonMapper = jsonMapper;
            c.preferNativeTransport = preferNativeTransport;
            c.backoff = backoff; c.maxRetryDelay = maxRetryDelay; c.reusePort = reusePort;
            c.maxPendingBytes = maxPendingBytes; c.parser = parser; c.maxMessageSize = maxMessageSize;
            c.maxEventNameLength = maxEventNameLength; c.messageTimeout = messageTimeout;
            c.allowReservedEvents = allowReservedEvents; c.allowedEvents = allowedEvents;
            c.closeOnProtocolError = closeOnProtocolError; c.secureSocketRoot = secureSocketRoot;
            c.frameCodec = frameCodec; c.ioThreads = ioThreads; c.busyPollMicros = busyPollMicros;
            return c;
        }

        /** @param v prefix of default socket names; default {@code "app."} @return this */
        public Builder appspace(String v) { appspace = v; return this; }
        /** @param v socket root prefix (keep the trailing slash); default per profile @return this */
        public Builder socketRoot(String v) { socketRoot = v; return this; }
        /** @param v this instance's id; default the host name @return this */
        public Builder id(String v) { id = v; return this; }
        /** @param v default network host @return this */
        public Builder networkHost(String v) { networkHost = v; return this; }
        /** @param v default network port, 1..65535 @return this */
        public Builder networkPort(int v) { networkPort = v; return this; }
        /** @param v let everyone read the socket file @return this */
        public Builder readableAll(boolean v) { readableAll = v; return this; }
        /** @param v let everyone write the socket file @return this */
        public Builder writableAll(boolean v) { writableAll = v; return this; }
        /** @param v utf8, ascii, latin1, binary, utf16le, ucs2, base64 or hex @return this */
        public Builder encoding(String v) { encoding = v; return this; }
        /** @param v raw byte mode @return this */
        public Builder rawBuffer(boolean v) { rawBuffer = v; return this; }
        /** @param v frame delimiter, non-empty @return this */
        public Builder delimiter(String v) { delimiter = v; return this; }
        /** @param v one message in flight per client @return this */
        public Builder sync(boolean v) { sync = v; return this; }
        /** @param v log nothing @return this */
        public Builder silent(boolean v) { silent = v; return this; }
        /** @param v log sink instead of SLF4J, or {@code null} @return this */
        public Builder logger(Consumer<String> v) { logger = v; return this; }
        /** @param v most simultaneous server connections, at least 1 @return this */
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        /** @param v delay before each reconnect attempt, 0 or more @return this */
        public Builder retry(Duration v) { retry = v; return this; }
        /** @param millis {@link #retry(Duration)} in milliseconds @return this */
        public Builder retry(long millis) { return retry(Duration.ofMillis(millis)); }
        /** @param v reconnect attempts after a drop beyond the first, or {@link #INFINITE_RETRIES} @return this */
        public Builder maxRetries(int v) { maxRetries = v; return this; }
        /** @param v never reconnect @return this */
        public Builder stopRetrying(boolean v) { stopRetrying = v; return this; }
        /** @param v remove a stale socket file before binding @return this */
        public Builder unlink(boolean v) { unlink = v; return this; }
        /** @param v client local bind, or {@code null} @return this */
        public Builder interfaces(ClientInterface v) { interfaces = v; return this; }
        /** @param v TLS options, or {@code null} for none @return this */
        public Builder tls(TlsOptions v) { tls = v; return this; }
        /**
         * Sets the payload profile. The default socket root follows the profile unless
         * {@link #socketRoot(String)} is set.
         * @param v the profile @return this
         */
        public Builder payloadProfile(PayloadProfile v) { payloadProfile = v; return this; }
        /**
         * Largest inbound frame in bytes (delimiter excluded). Default per profile: 64 MiB for FAST,
         * 1 MiB for GUARDED/ASSURED. A larger frame is refused with {@code ERR_IPC_FRAME_TOO_LARGE}.
         * @param v at least 2 @return this
         */
        public Builder maxMessageSize(int v) { maxMessageSize = v; return this; }
        /** @param v same as {@link #maxMessageSize(int)} @return this */
        public Builder maxFrameLength(int v) { return maxMessageSize(v); }
        /**
         * Custom framing instead of the delimiter (the framing half of node-ipc 14's custom parser), e.g. a
         * length prefix. Stream transports only; both ends must use the same framing.
         * @param v the framing, or {@code null} for the delimiter @return this
         */
        public Builder frameCodec(FrameCodec v) { frameCodec = v; return this; }
        /** @param v parser profile (node-ipc 14's {@code parser}); default FAST @return this */
        public Builder parser(ParserProfile v) { parser = v; return this; }
        /** @param v longest accepted event name; default 256 under GUARDED/ASSURED, none under FAST @return this */
        public Builder maxEventNameLength(int v) { maxEventNameLength = v; return this; }
        /** @param v longest an incomplete frame may wait; default 30 s under GUARDED/ASSURED, forever under FAST @return this */
        public Builder messageTimeout(Duration v) { messageTimeout = v; return this; }
        /** @param v let GUARDED/ASSURED peers use reserved names as message types @return this */
        public Builder allowReservedEvents(boolean v) { allowReservedEvents = v; return this; }
        /** @param v the only event types that may be sent or received (required by ASSURED) @return this */
        public Builder allowedEvents(String... v) { allowedEvents = java.util.Set.of(v); return this; }
        /** @param v close a connection after a refused frame; default false under FAST, always under GUARDED/ASSURED @return this */
        public Builder closeOnProtocolError(boolean v) { closeOnProtocolError = v; return this; }
        /**
         * node-ipc 14's {@code secureSocketRoot}: a server binding under {@code socketRoot} creates it 0700,
         * and refuses it when it is a symlink or owned by another user. Default true for MODERN, false
         * for LEGACY (whose root is the shared {@code /tmp/}).
         * @param v secure the root @return this
         */
        public Builder secureSocketRoot(boolean v) { secureSocketRoot = v; return this; }
        /**
         * Use the native epoll transport when it loads (Linux), else the JDK's NIO Unix sockets.
         * Both speak the same bytes; native adds peer credentials and is faster. Default true.
         * @param v prefer native @return this
         */
        public Builder preferNativeTransport(boolean v) { preferNativeTransport = v; return this; }
        /**
         * Opt-in exponential backoff: the delay doubles after each failed attempt (from {@code retry}, up to
         * {@link #maxRetryDelay}), with jitter. Off by default, so timing matches node-ipc.
         * @param v backoff on @return this
         */
        public Builder backoff(boolean v) { backoff = v; return this; }
        /** @param v cap on the backoff delay; default 30 s @return this */
        public Builder maxRetryDelay(Duration v) { maxRetryDelay = v; return this; }
        /**
         * TCP servers bind with SO_REUSEPORT, so several processes or instances can serve one port and the
         * kernel spreads connections among them (the Java analogue of node-ipc's cluster example).
         * @param v reuse port @return this
         */
        public Builder reusePort(boolean v) { reusePort = v; return this; }
        /**
         * Most bytes queued per connection: outbound to a peer that is slow to read, and by a client while
         * not connected. Past it emits fail with {@code ERR_IPC_BACKPRESSURE} (GUARDED/ASSURED also close
         * the connection). Default 64 MiB under FAST, 8 MiB under GUARDED/ASSURED (node-ipc 14). Queued
         * frames are counted with Netty's per-entry overhead (about 100 bytes each).
         * @param v bytes @return this
         */
        public Builder maxPendingBytes(long v) { maxPendingBytes = v; return this; }
        /** @param v mapper for binding payloads to Java types @return this */
        public Builder jsonMapper(JsonMapper v) { jsonMapper = v; return this; }
        /**
         * Event-loop threads of the instance: all its servers' and clients' connections are spread over them
         * and every handler runs on one. Default 1, like node-ipc's single event loop: no thread hand-off
         * between accepting, reading and writing, which measured fastest for connection churn, broadcast and
         * floods on a 2-core machine. More threads help a server with many busy connections on many cores.
         * @param v threads, 1..256 @return this
         */
        public Builder ioThreads(int v) { ioThreads = v; return this; }

        /**
         * How long an event loop that has run out of work keeps polling its sockets before it sleeps, in
         * microseconds. Default 0: it sleeps at once, as Node does, and spends no CPU while idle. With a few tens of
         * microseconds, an exchange whose next event comes within that time (a reply, the peer's close, the next
         * connection) finds the loop awake: no sleep and no wake-up by the kernel on either side, which on a VM is
         * the largest cost of a short exchange. The price is up to that much CPU time after every burst of work,
         * on every I/O thread of the instance. On 2 vCPU, 50 us doubled warm Unix churn (13.9-15.6k to
         * 29.6-33.0k connections/s); see {@code jipc-bench/RESULTS.md}.
         * @param v microseconds, 0..10,000 @return this
         */
        public Builder busyPollMicros(int v) { busyPollMicros = v; return this; }

        /**
         * Validates every option and returns the immutable configuration.
         * @return the configuration
         * @throws IllegalArgumentException naming the first invalid option, its value and what was expected
         */
        public IpcConfig build() {
            Builder c = copy();
            if (c.appspace == null) {
                throw new IllegalArgumentException("appspace must be a string (may be empty) but was null");
            }
            if (c.payloadProfile == null) {
                throw new IllegalArgumentException("payloadProfile must be LEGACY or MODERN but was null");
            }
            if (c.socketRoot == null) {
                c.socketRoot = c.payloadProfile == PayloadProfile.LEGACY ? "/tmp/" : Defaults.modernSocketRoot();
            }
            if (c.id == null) {
                c.id = Defaults.hostName();
            }
            Validation.notEmpty("id", c.id);
            Validation.notEmpty("networkHost", c.networkHost);
            Validation.range("networkPort", c.networkPort, 1, 65535);
            c.encoding = Validation.encoding(c.encoding);
            Validation.delimiter(c.delimiter, c.rawBuffer);
            Validation.range("maxConnections", c.maxConnections, 1, Integer.MAX_VALUE);
            Validation.range("ioThreads", c.ioThreads, 1, 256);
            Validation.range("busyPollMicros", c.busyPollMicros, 0, 10_000);
            Validation.nonNegative("retry", c.retry);
            Validation.range("maxRetries", c.maxRetries, 0, INFINITE_RETRIES);
            if (c.parser == null) {
                throw new IllegalArgumentException("parser must be RAW, FAST, GUARDED or ASSURED but was null");
            }
            if (c.parser == ParserProfile.RAW) {
                c.rawBuffer = true;
            }
            boolean strict = c.parser == ParserProfile.GUARDED || c.parser == ParserProfile.ASSURED;
            if (c.maxMessageSize == null) {
                c.maxMessageSize = strict ? 1 << 20 : 64 << 20;
            }
            Validation.range("maxMessageSize", c.maxMessageSize, 2, Integer.MAX_VALUE - 16);
            if (c.maxPendingBytes == null) {
                c.maxPendingBytes = strict ? 8L << 20 : 64L << 20;
            }
            Validation.range("maxPendingBytes", c.maxPendingBytes, 1, Integer.MAX_VALUE);
            if (c.maxEventNameLength == null) {
                c.maxEventNameLength = strict ? 256 : 0;
            }
            Validation.range("maxEventNameLength", c.maxEventNameLength, 0, Integer.MAX_VALUE);
            if (c.messageTimeout == null) {
                c.messageTimeout = strict ? Duration.ofSeconds(30) : Duration.ZERO;
            }
            Validation.nonNegative("messageTimeout", c.messageTimeout);
            if (c.closeOnProtocolError == null || strict) {
                c.closeOnProtocolError = strict || Boolean.TRUE.equals(c.closeOnProtocolError);
            }
            if (c.parser == ParserProfile.ASSURED && (c.allowedEvents == null || c.allowedEvents.isEmpty())) {
                throw new IllegalArgumentException("parser ASSURED needs allowedEvents (the event types that may be "
                    + "sent and received) but none were given");
            }
            if (c.secureSocketRoot == null) {
                c.secureSocketRoot = c.payloadProfile == PayloadProfile.MODERN;
            }
            Validation.nonNegative("maxRetryDelay", c.maxRetryDelay);

            if (c.jsonMapper == null) {
                c.jsonMapper = Defaults.jsonMapper();
            }
            return new IpcConfig(c);
        }
    }
}
