package io.jipc.internal.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files as openssl writes them: certificates, and unencrypted private keys in PKCS#8
 * ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) and SEC1 EC
 * ({@code BEGIN EC PRIVATE KEY}) form. Errors name the file and what was expected.
 */
public final class PemFiles {
    private static final Pattern BLOCK = Pattern.compile(
        "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+?)-----END \\1-----");

    private PemFiles() {
    }

    /** @return the certificates in {@code file}, in order @throws IllegalArgumentException if none */
    public static List<X509Certificate> certificates(String option, String file) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(option, file)) {
                if (b.type.equals("CERTIFICATE")) {
                    out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der)));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(option + ": cannot parse certificate in " + file + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(option + ": no \"BEGIN CERTIFICATE\" block in " + file);
        }
        return out;
    }

    /** @return the private key in {@code file} @throws IllegalArgumentException naming the file and the problem */
    public static PrivateKey privateKey(String option, String file) {
        for (Block b : blocks(option, file)) {
            try {
                switch (b.type) {
                    case "PRIVATE KEY":
                        return pkcs8(b.der);
                    case "RSA PRIVATE KEY":
                        return pkcs8(Der.wrapPkcs1Rsa(b.der));
                    case "EC PRIVATE KEY":
                        return pkcs8(Der.wrapSec1Ec(b.der));
                    case "ENCRYPTED PRIVATE KEY":
                        throw new IllegalArgumentException(option + ": " + file
                            + " holds an encrypted key; give an unencrypted PEM key");
                    default:
                        break;
                }
            } catch (GeneralSecurityException | RuntimeException e) {
                if (e instanceof IllegalArgumentException && e.getMessage().startsWith(option)) {
                    throw (IllegalArgumentException) e;
                }
                throw new IllegalArgumentException(option + ": cannot read the " + b.type.toLowerCase()
                    + " in " + file + ": " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException(option + ": no PEM private key (PKCS#8, RSA or EC) in " + file);
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        GeneralSecurityException last = null;
        for (String alg : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS", "DSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    private static List<Block> blocks(String option, String file) {
        String text;
        try {
            text = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(option + ": cannot read " + file + ": " + e.getMessage(), e);
        }
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
        }
        return out;
    }

    private static final class Block {
        final String type;
        final byte[] der;

        Block(String type, byte[] der) {
            this.type = type;
            this.der = der;
        }
    }
}
