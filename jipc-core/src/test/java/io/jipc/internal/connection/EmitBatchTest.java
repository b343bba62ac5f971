package io.jipc.internal.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.concurrent.ImmediateEventExecutor;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stage every emit of one write batch shares: only the connection completes it; callers get copies. */
@Timeout(10)
class EmitBatchTest {
    @Test
    void callersCannotCompleteTheSharedStage() {
        EmitBatch batch = new EmitBatch();
        assertThatThrownBy(() -> batch.complete(null)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> batch.completeExceptionally(new IOException())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> batch.cancel(true)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> batch.obtrudeValue(null)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> batch.orTimeout(1, TimeUnit.MILLISECONDS)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> batch.completeOnTimeout(null, 1, TimeUnit.MILLISECONDS))
            .isInstanceOf(UnsupportedOperationException.class);
        assertThat(batch).isNotDone();
    }

    @Test
    void eachCallerGetsItsOwnCopyCompletedWithTheBatch() throws Exception {
        EmitBatch batch = new EmitBatch();
        CompletableFuture<Void> mine = batch.toCompletableFuture();
        CompletableFuture<Void> theirs = batch.toCompletableFuture();
        mine.complete(null); // completing a copy touches neither the batch nor the other copies
        assertThat(batch).isNotDone();
        assertThat(theirs).isNotDone();
        batch.operationComplete(ImmediateEventExecutor.INSTANCE.newSucceededFuture(null));
        assertThat(theirs.get(1, TimeUnit.SECONDS)).isNull();
        assertThat(batch.thenApply(v -> "dependent").get(1, TimeUnit.SECONDS)).isEqualTo("dependent");
    }

    @Test
    void aFailedChannelWriteFailsTheBatchWithItsCause() {
        EmitBatch batch = new EmitBatch();
        IOException cause = new IOException("broken pipe");
        batch.operationComplete(ImmediateEventExecutor.INSTANCE.newFailedFuture(cause));
        assertThat(batch).isCompletedExceptionally();
        assertThat(batch.toCompletableFuture()).failsWithin(1, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
            .withCause(cause);
        assertThat(EmitBatch.DONE).isCompleted();
    }
}
