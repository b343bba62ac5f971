package io.jipc.internal.tls;

import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The client {@link SslContext} of one set of TLS settings, built on first use and reused for every later
 * connection, so a client that connects again and again does not read and parse its PEM files and build a
 * trust store each time. node-ipc reads the files on every connect, so a certificate or key replaced on disk
 * takes effect with the next connection: the cache keeps that, because an entry also records each PEM file's
 * size and modification time and is rebuilt when any of them differs (a few {@code stat} calls per connect).
 *
 * <p>Thread-safe: racing callers may both build; either result is correct and the last one is kept.
 * Errors (a missing or unreadable file, a bad PEM) propagate as {@link TlsContexts} reports them and leave
 * nothing cached.
 */
public final class ClientContextCache {
    /** The settings, the files' stamps and the context built from them; immutable. */
    private record Entry(TlsSettings settings, List<Object> stamps, SslContext context) {
    }

    private volatile Entry last;

    /** @return the context for {@code s}: the caller's own if it set one, else the cached or a new one */
    public SslContext get(TlsSettings s) {
        if (s.clientContext() != null) {
            return s.clientContext();
        }
        List<Object> stamps = stamps(s);
        Entry e = last;
        if (e != null && e.settings.equals(s) && e.stamps.equals(stamps)) {
            return e.context;
        }
        SslContext built = TlsContexts.buildClient(s);
        last = new Entry(s, stamps, built);
        return built;
    }

    /** Size and modification time of every PEM file {@code s} names, or the read error, in a fixed order. */
    private static List<Object> stamps(TlsSettings s) {
        List<Object> out = new ArrayList<>(4);
        stamp(out, s.privateKeyPem());
        stamp(out, s.certificatePem());
        for (String ca : s.caPems()) {
            stamp(out, ca);
        }
        return out;
    }

    private static void stamp(List<Object> out, String file) {
        if (file == null) {
            out.add("-");
            return;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(Path.of(file), BasicFileAttributes.class);
            out.add(a.lastModifiedTime());
            out.add(a.size());
        } catch (IOException | RuntimeException e) {
            out.add(e.getClass()); // unreadable now: never matches a built entry's stamp of a readable file
        }
    }
}
