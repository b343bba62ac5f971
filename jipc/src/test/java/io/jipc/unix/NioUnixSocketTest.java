package io.jipc.unix;

/** The Unix-socket contract on the JDK's NIO Unix sockets (JEP 380). */
class NioUnixSocketTest extends UnixSocketContractTest {
    @Override
    boolean preferNative() {
        return false;
    }

    @Override
    String expectedTransport() {
        return "nio";
    }
}
