package io.jipc.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jipc.testing.TestCerts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Client TLS contexts are built once per settings and rebuilt when a PEM file changes, as node-ipc rereads them. */
@Timeout(30)
class ClientContextCacheTest {
    @TempDir
    Path dir;

    private static TlsSettings settings(String key, String cert, String ca) {
        return new TlsSettings(key, cert, List.of(ca), false, true, null, null, null, null, false);
    }

    @Test
    void equalSettingsWithUnchangedFilesGetTheSameContext() {
        TestCerts certs = TestCerts.mint(dir);
        ClientContextCache cache = new ClientContextCache();
        SslContext first = cache.get(settings(certs.clientKey(), certs.clientCert(), certs.ca()));
        SslContext again = cache.get(settings(certs.clientKey(), certs.clientCert(), certs.ca()));
        assertThat(again).isSameAs(first);
    }

    @Test
    void otherSettingsOrAChangedFileBuildAnew() throws Exception {
        TestCerts certs = TestCerts.mint(dir);
        Path ca = dir.resolve("trusted.pem");
        Files.copy(Path.of(certs.ca()), ca);
        ClientContextCache cache = new ClientContextCache();
        SslContext first = cache.get(settings(certs.clientKey(), certs.clientCert(), ca.toString()));
        assertThat(cache.get(settings(null, null, ca.toString()))).isNotSameAs(first);

        SslContext second = cache.get(settings(null, null, ca.toString()));
        Files.copy(Path.of(certs.otherCa()), ca, StandardCopyOption.REPLACE_EXISTING); // a CA rotated on disk
        Files.setLastModifiedTime(ca, FileTime.fromMillis(Files.getLastModifiedTime(ca).toMillis() + 10_000));
        SslContext rotated = cache.get(settings(null, null, ca.toString()));
        assertThat(rotated).isNotSameAs(second);
        assertThat(cache.get(settings(null, null, ca.toString()))).isSameAs(rotated);
    }

    @Test
    void aMissingFileFailsEachTimeAndWorksOnceItIsThere() throws Exception {
        TestCerts certs = TestCerts.mint(dir);
        Path ca = dir.resolve("later.pem");
        ClientContextCache cache = new ClientContextCache();
        TlsSettings s = settings(null, null, ca.toString());
        assertThatThrownBy(() -> cache.get(s)).isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("later.pem");
        assertThatThrownBy(() -> cache.get(s)).isInstanceOf(UncheckedIOException.class);
        Files.copy(Path.of(certs.ca()), ca);
        assertThat(cache.get(s)).isNotNull();
    }

    @Test
    void theCallersOwnContextIsUsedAsItIs() throws Exception {
        SslContext own = SslContextBuilder.forClient().build();
        TlsSettings s = new TlsSettings(null, null, List.of(), false, true, null, null, null, own, false);
        assertThat(new ClientContextCache().get(s)).isSameAs(own);
    }
}
