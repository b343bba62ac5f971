package io.jipc.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TLS files for the CLI tests, minted by the machine's {@code openssl} into a directory the caller
 * owns: a CA, a server certificate for {@code IP:127.0.0.1, DNS:localhost} and a client certificate,
 * both signed by the CA (EC P-256, PKCS#8 keys: quick to make). Nothing is committed.
 */
final class TestPki {
    private final Path dir;

    private TestPki(Path dir) {
        this.dir = dir;
    }

    /** Generates everything into {@code dir} (well under a second). */
    static TestPki mint(Path dir) throws IOException, InterruptedException {
        TestPki pki = new TestPki(dir);
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        Files.writeString(dir.resolve("client.ext"), "extendedKeyUsage=clientAuth\n");
        pki.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=jipc-cli test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        pki.leaf("server", "/CN=localhost");
        pki.leaf("client", "/CN=jipc-cli test client");
        return pki;
    }

    String ca() { return file("ca.pem"); }
    String serverKey() { return file("server.key"); }
    String serverCert() { return file("server.pem"); }
    String clientKey() { return file("client.key"); }
    String clientCert() { return file("client.pem"); }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private void leaf(String name, String subject) throws IOException, InterruptedException {
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject);
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "2", "-extfile", name + ".ext", "-out", name + ".pem");
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("openssl timed out: " + command);
        }
        if (p.exitValue() != 0) {
            throw new IOException("openssl failed (" + p.exitValue() + "): " + command + "\n" + output);
        }
    }
}
