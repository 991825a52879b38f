import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The virtual clock, through libfaketime (preloaded by env.sh for run.sh and live.sh): OkHttp's
 * {@code Cookie.parseAll} (called by BridgeInterceptor) and java.net.HttpCookie (creation time,
 * {@code hasExpired}) both read {@code System.currentTimeMillis()}, so the whole process is
 * shown the operation's time and no library code is touched. With FAKETIME_NO_CACHE=1
 * libfaketime re-reads $FAKETIME_TIMESTAMP_FILE on every clock call (pthread_cond_timedwait
 * included); the file holds an offset from the real clock, "+S.SSSSSSSSS" or "-S.SSSSSSSSS"
 * seconds, chosen so that the wall clock reads `now` plus the milliseconds the operation has
 * run (it starts at now*1000 + under 1 ms; Clock.set checks the second).
 *
 * <p>Why an offset and not a frozen absolute date ("YYYY-MM-DD HH:MM:SS", exact to the
 * millisecond): libfaketime reads and parses the file into process-wide buffers without a lock,
 * and the JVM's own threads read the clock concurrently; a thread that catches a half-written
 * parse of an absolute date ends the process ("failed to parse FAKETIME timestamp", measured here
 * within a few hundred cases), while a line that starts with a sign is parsed with atof(), which
 * cannot fail. The file is replaced by an atomic rename, never rewritten in place, and only
 * when the time to show changes (a case's operations mostly share one `now`). The monotonic
 * clock stays real (FAKETIME_DONT_FAKE_MONOTONIC=1), so timed waits and OkHttp's timeouts are
 * unaffected. The file is process-wide: one operation at a time.
 */
final class Clock {
    private static Path file;
    /** The real wall clock at {@link #baseNanos}, read while the file held "+0". */
    private static long baseRealMillis;
    private static long baseNanos;
    /** The virtual second last shown (null: the real clock). */
    private static Long shown;

    private Clock() {}

    /** Finds the timestamp file env.sh made, and removes it when the JVM exits. */
    static synchronized void init() {
        String name = System.getenv("FAKETIME_TIMESTAMP_FILE");
        String preload = System.getenv("LD_PRELOAD");
        if (file != null || name == null || preload == null || !preload.contains("libfaketime")) return;
        Path path = Path.of(name);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(sibling(path));
                Files.deleteIfExists(path);
            } catch (IOException e) {
                System.err.println("java-okhttp: cannot remove " + path + ": " + e);
            }
        }));
        file = path;
        try {
            write("+0");
            baseNanos = System.nanoTime();
            baseRealMillis = System.currentTimeMillis();
            set(946684800L); // 2000-01-01T00:00:00Z, far from the real clock
            set(null);
        } catch (IllegalStateException e) {
            System.err.println("java-okhttp: " + e.getMessage() + ": real clock only");
            file = null;
        }
    }

    /** Whether the process shows each operation's `now` (libfaketime preloaded and working). */
    static boolean available() {
        return file != null;
    }

    private static Path sibling(Path p) {
        return p.resolveSibling(p.getFileName() + ".new");
    }

    private static void write(String text) {
        try {
            Path tmp = sibling(file);
            Files.write(tmp, (text + "\n").getBytes(StandardCharsets.US_ASCII));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the libfaketime file " + file + ": " + e, e);
        }
    }

    /** Whether the wall clock reads `unixSeconds`, a few milliseconds from now. */
    private static boolean shows(long unixSeconds) {
        try {
            Thread.sleep(3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Math.floorDiv(System.currentTimeMillis(), 1000) == unixSeconds;
    }

    /**
     * A new case starts: its first operation writes the clock anew even when the previous case
     * left it in the same second. A running clock left late in that second would otherwise
     * cross into the next one during the new case's first request, and a cookie set then would
     * count as created after the cookies of the case's next second (seen in a fidelity run:
     * `a=2` listed before `b=1`).
     */
    static synchronized void forget() {
        shown = null;
    }

    /** From now on the process sees `unixSeconds` (null: the real clock). */
    static synchronized void set(Long unixSeconds) {
        if (file == null) return;
        if (unixSeconds == null) {
            if (shown != null) write("+0");
            shown = null;
            return;
        }
        if (unixSeconds.equals(shown) && Math.floorDiv(System.currentTimeMillis(), 1000) == unixSeconds) return;
        for (int attempt = 0; attempt < 20; attempt++) {
            // The real clock in nanoseconds, from the monotonic clock libfaketime leaves alone;
            // the offset aims 0.1 ms past the second so that rounding never lands before it.
            long realNanos = baseRealMillis * 1_000_000L + (System.nanoTime() - baseNanos);
            long offsetNanos = unixSeconds * 1_000_000_000L + 100_000L - realNanos;
            write(String.format(Locale.ROOT, "%s%d.%09d", offsetNanos < 0 ? "-" : "+",
                    Math.abs(offsetNanos) / 1_000_000_000L, Math.abs(offsetNanos) % 1_000_000_000L));
            shown = unixSeconds;
            // A JVM thread that read the previous line just before the rename can finish parsing
            // it after this thread parsed the new one, and libfaketime then keeps the old time
            // (it re-parses only when the line changes). Let such reads finish, then check
            // twice; on a wrong time, write the offset anew (a new line forces a new parse).
            if (shows(unixSeconds) && shows(unixSeconds)) return;
        }
        throw new IllegalStateException("libfaketime does not show Unix time " + unixSeconds
                + ": the JVM reads " + System.currentTimeMillis() + " ms");
    }
}
