package io.jipc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TLS material minted for a test by the machine's {@code openssl}: a CA, a server certificate for
 * {@code localhost}/127.0.0.1/::1 (RSA, PKCS#8 key), a client certificate (EC, SEC1 "EC PRIVATE KEY"
 * key), a second unrelated CA with its own server certificate, an expired server certificate, and one
 * for the wrong host. Nothing is committed; everything lives in a directory the caller deletes.
 */
public final class TestCerts {
    private final Path dir;

    private TestCerts(Path dir) {
        this.dir = dir;
    }

    /** Generates everything into {@code dir} (about a second). */
    public static TestCerts mint(Path dir) {
        TestCerts c = new TestCerts(dir);
        c.generate();
        return c;
    }

    /** @return path of file {@code name} in the certificate directory */
    public String file(String name) {
        return dir.resolve(name).toString();
    }

    /** @return the CA certificate */
    public String ca() { return file("ca.pem"); }
    /** @return the server key (PKCS#8) */
    public String serverKey() { return file("server.key"); }
    /** @return the server certificate, signed by {@link #ca()} */
    public String serverCert() { return file("server.pem"); }
    /** @return the client key (SEC1 EC) */
    public String clientKey() { return file("client.key"); }
    /** @return the client certificate, signed by {@link #ca()} */
    public String clientCert() { return file("client.pem"); }
    /** @return a CA that signed nothing the server uses */
    public String otherCa() { return file("other-ca.pem"); }
    /** @return a server key+cert signed by {@link #otherCa()} */
    public String otherServerKey() { return file("other-server.key"); }
    /** @return the certificate for {@link #otherServerKey()} */
    public String otherServerCert() { return file("other-server.pem"); }
    /** @return an expired server certificate (key {@link #serverKey()}) */
    public String expiredServerCert() { return file("expired-server.pem"); }
    /** @return a server certificate naming only {@code wrong.example} (key {@link #serverKey()}) */
    public String wrongHostServerCert() { return file("wronghost-server.pem"); }
    /** @return a PKCS#1 ("RSA PRIVATE KEY") copy of {@link #serverKey()} */
    public String serverKeyPkcs1() { return file("server-pkcs1.key"); }

    private void generate() {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("server.ext"),
                "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nextendedKeyUsage=serverAuth,clientAuth\n");
            Files.writeString(dir.resolve("wrong.ext"), "subjectAltName=DNS:wrong.example\nextendedKeyUsage=serverAuth\n");
            Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ca("ca");
        ca("other-ca");
        run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "server.key");
        run("openssl", "pkey", "-in", "server.key", "-traditional", "-out", "server-pkcs1.key");
        sign("server.key", "server", "/CN=localhost", "ca", "server.ext", "server.pem", "30");
        sign("server.key", "wronghost", "/CN=wrong.example", "ca", "wrong.ext", "wronghost-server.pem", "30");
        run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "other-server.key");
        sign("other-server.key", "other", "/CN=localhost", "other-ca", "server.ext", "other-server.pem", "30");
        run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "client.key");
        sign("client.key", "client", "/CN=jipc-test-client", "ca", "client.ext", "client.pem", "30");
        // expired: valid from 3 days ago to 2 days ago (x509 -not_before/-not_after need openssl 3.4; use ca -startdate)
        expired();
    }

    private void ca(String name) {
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".pem",
            "-days", "30", "-subj", "/CN=jipc test " + name, "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    }

    private void sign(String key, String tag, String subject, String ca, String ext, String out, String days) {
        run("openssl", "req", "-new", "-key", key, "-subj", subject, "-out", tag + ".csr");
        run("openssl", "x509", "-req", "-in", tag + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
            "-CAcreateserial", "-days", days, "-extfile", ext, "-out", out);
    }

    private void expired() {
        try {
            Path db = dir.resolve("cadb");
            Files.createDirectories(db);
            Files.writeString(db.resolve("index.txt"), "");
            Files.writeString(db.resolve("serial"), "1000\n");
            Files.writeString(dir.resolve("ca.cnf"), String.join("\n",
                "[ ca ]", "default_ca = test", "[ test ]", "dir = " + db, "database = $dir/index.txt",
                "serial = $dir/serial", "new_certs_dir = $dir", "default_md = sha256", "policy = any",
                "copy_extensions = none", "unique_subject = no", "[ any ]", "commonName = supplied",
                "[ ext ]", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1", "extendedKeyUsage=serverAuth", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run("openssl", "req", "-new", "-key", "server.key", "-subj", "/CN=localhost", "-out", "expired.csr");
        run("openssl", "ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key",
            "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-extensions", "ext",
            "-in", "expired.csr", "-out", "expired-server.pem", "-notext");
    }

    private void run(String... cmd) {
        List<String> command = new ArrayList<>(List.of(cmd));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("openssl failed: " + command + "\n" + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run openssl (needed to mint test certificates): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
