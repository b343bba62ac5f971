package io.jipc.internal.tls;

import java.io.ByteArrayOutputStream;

/**
 * The few DER operations needed to turn openssl's "traditional" private keys into PKCS#8, which the
 * JDK reads: RSA (PKCS#1) and EC (SEC1, whose curve OID sits in its {@code [0]} field).
 */
final class Der {
    private static final byte[] RSA_ALGORITHM = {
        0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
    private static final byte[] EC_PUBLIC_KEY_OID = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private Der() {
    }

    /** @return PKCS#8 {@code PrivateKeyInfo} wrapping a PKCS#1 RSA key */
    static byte[] wrapPkcs1Rsa(byte[] pkcs1) {
        return privateKeyInfo(RSA_ALGORITHM, pkcs1);
    }

    /** @return PKCS#8 {@code PrivateKeyInfo} wrapping a SEC1 EC key, taking the curve from its parameters */
    static byte[] wrapSec1Ec(byte[] sec1) {
        byte[] curve = findCurveOid(sec1);
        byte[] algorithm = tlv(0x30, concat(EC_PUBLIC_KEY_OID, curve));
        return privateKeyInfo(algorithm, sec1);
    }

    private static byte[] privateKeyInfo(byte[] algorithm, byte[] key) {
        byte[] version = {0x02, 0x01, 0x00};
        return tlv(0x30, concat(version, algorithm, tlv(0x04, key)));
    }

    /** SEC1: SEQUENCE { INTEGER 1, OCTET STRING key, [0] OID curve, [1] BIT STRING pub }. */
    private static byte[] findCurveOid(byte[] sec1) {
        int[] pos = {0};
        expect(sec1, pos, 0x30);
        readLength(sec1, pos);
        while (pos[0] < sec1.length) {
            int tag = sec1[pos[0]++] & 0xff;
            int len = readLength(sec1, pos);
            if (tag == 0xa0) {
                byte[] oid = new byte[len];
                System.arraycopy(sec1, pos[0], oid, 0, len);
                return oid;
            }
            pos[0] += len;
        }
        throw new IllegalArgumentException("EC key has no curve parameters; write it with "
            + "'openssl ec -param_enc named_curve' or as PKCS#8");
    }

    private static void expect(byte[] der, int[] pos, int tag) {
        if ((der[pos[0]++] & 0xff) != tag) {
            throw new IllegalArgumentException("malformed DER: expected tag 0x" + Integer.toHexString(tag));
        }
    }

    private static int readLength(byte[] der, int[] pos) {
        int first = der[pos[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int n = first & 0x7f;
        int len = 0;
        for (int i = 0; i < n; i++) {
            len = (len << 8) | (der[pos[0]++] & 0xff);
        }
        return len;
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
