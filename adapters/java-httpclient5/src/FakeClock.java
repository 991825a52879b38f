import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * The virtual clock: libfaketime, preloaded into this JVM by run.sh (or live.sh), re-reads
 * {@code FAKETIME_TIMESTAMP_FILE} at every clock read ({@code FAKETIME_NO_CACHE=1}). HttpClient
 * reads the time only through {@code Instant.now()} (RequestAddCookies, BasicCookieStore,
 * RFC6265CookieSpec's creation time, BasicMaxAgeHandler), which the JVM takes from libc's
 * {@code clock_gettime(CLOCK_REALTIME)}.
 *
 * <p>The file holds an offset from the real clock ("+N.NNNNNNNNN" seconds), chosen so that the
 * clock reads {@code now} + 1 ms when it is written and then runs at the real pace: every read
 * of an operation is {@code now} at second precision (an operation takes milliseconds), and
 * cookies created one after the other still get increasing creation times, which HttpClient
 * orders equal-length paths by (a frozen clock would tie them). Operations at the same
 * {@code now} keep the running clock, so creation order holds across them too; it is re-based
 * when {@code now} changes, at every reset, and when it has run 500 ms since it was based (it
 * must not reach the next second). Only CLOCK_REALTIME is faked (clock-env.sh). One process-wide
 * file: one operation at a time.
 */
final class FakeClock {
    private static final BigDecimal NANOS = BigDecimal.valueOf(1_000_000_000L);
    private static final BigDecimal MARGIN = new BigDecimal("0.001");
    private static final long MAX_RUN_NANOS = 500_000_000L;
    private static final int WIDTH = 40; // sign and digits: an offset of up to 10^29 s fits

    private final Path file;
    private BigDecimal offset = BigDecimal.ZERO; // what the file holds (clock-env.sh writes "+0")
    private Long basedOn; // the `now` the offset was chosen for; null: the real clock
    private long basedAt; // System.nanoTime() when it was

    FakeClock(Path file) {
        this.file = file;
    }

    /** The clock of this process, or null when no libfaketime is preloaded. */
    static FakeClock fromEnvironment() {
        String path = System.getenv("FAKETIME_TIMESTAMP_FILE");
        String preload = System.getenv("LD_PRELOAD");
        if (path == null || preload == null || !preload.contains("libfaketime")) return null;
        return new FakeClock(Path.of(path));
    }

    /** Whether {@code now} is in the range tested here (years 1 to 9999). */
    static boolean showable(long now) {
        return now >= -62135596800L && now <= 253402300799L;
    }

    /** Makes the clock read {@code now} (Unix seconds) from here on; {@code rebase}: restart
     *  at {@code now} + 1 ms even if it already reads {@code now}. */
    synchronized void show(long now, boolean rebase) throws IOException {
        if (!rebase && basedOn != null && basedOn == now && System.nanoTime() - basedAt < MAX_RUN_NANOS) return;
        Instant seen = Instant.now(); // the faked clock: real time + offset
        BigDecimal real = BigDecimal.valueOf(seen.getEpochSecond())
                .add(BigDecimal.valueOf(seen.getNano()).divide(NANOS))
                .subtract(offset);
        BigDecimal next = BigDecimal.valueOf(now).subtract(real).add(MARGIN);
        write((next.signum() >= 0 ? "+" : "") + next.toPlainString());
        offset = next;
        basedOn = now;
        basedAt = System.nanoTime();
    }

    /** Back to the real clock. */
    synchronized void real() throws IOException {
        if (basedOn == null && offset.signum() == 0) return;
        write("+0");
        offset = BigDecimal.ZERO;
        basedOn = null;
    }

    private void write(String spec) throws IOException {
        // The file is held open by the process (clock-env.sh) and already unlinked, so it is
        // rewritten in place: one write of a fixed width (zero-padded, so no truncation), which
        // a concurrent reader sees whole.
        String padded = spec.charAt(0) + "0".repeat(Math.max(0, WIDTH - spec.length())) + spec.substring(1);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap((padded + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        }
    }
}
