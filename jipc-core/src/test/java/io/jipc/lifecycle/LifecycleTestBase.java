package io.jipc.lifecycle;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A temp dir for sockets and a {@link LifecycleFixture} closed after each test. */
abstract class LifecycleTestBase {
    static final Duration WAIT = Duration.ofSeconds(20);
    @TempDir
    Path dir;
    LifecycleFixture fx;

    @BeforeEach
    void setUpFixture() {
        fx = new LifecycleFixture(dir);
    }

    @AfterEach
    void closeFixture() {
        fx.close();
    }
}
