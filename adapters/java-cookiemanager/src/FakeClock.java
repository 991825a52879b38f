import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The virtual clock, through libfaketime (Debian's libfaketime, preloaded by run.sh and live.sh).
 *
 * <p>java.net.HttpCookie reads System.currentTimeMillis() for its creation time, Expires and
 * hasExpired(); the JVM gets that from libc's clock_gettime(CLOCK_REALTIME), which libfaketime
 * answers from the file named by FAKETIME_TIMESTAMP_FILE, re-read on every call
 * (FAKETIME_NO_CACHE=1). Writing an absolute date there ("YYYY-MM-DD HH:MM:SS", read in TZ=UTC)
 * stops the wall clock at exactly that second, so the library sees `now` to the millisecond.
 * The monotonic clock is left alone (FAKETIME_DONT_FAKE_MONOTONIC=1): the JVM's timers,
 * sleeps and the HTTP client's deadlines run on real time. The file is process-wide, so callers
 * run one operation at a time.
 *
 * <p>libfaketime exits the process when it reads a line it cannot parse (an empty file
 * half-written, for one), so the file is replaced by an atomic rename, never rewritten in place.
 */
final class FakeClock {
    /** libfaketime's default absolute-date format (FAKETIME_FMT unset): %Y-%m-%d %T. */
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private final Path file;
    private final boolean active;

    private FakeClock(Path file, boolean active) {
        this.file = file;
        this.active = active;
    }

    /**
     * The clock of this process: active when libfaketime is preloaded with a timestamp file and
     * a probe shows that System.currentTimeMillis() answers the written second exactly.
     */
    static FakeClock fromEnvironment() {
        String name = System.getenv("FAKETIME_TIMESTAMP_FILE");
        String preload = System.getenv("LD_PRELOAD");
        if (name == null || preload == null || !preload.contains("libfaketime")) return new FakeClock(null, false);
        FakeClock probe = new FakeClock(Path.of(name), true);
        boolean works;
        try {
            long second = 946684800L; // 2000-01-01T00:00:00Z, far from the real clock
            probe.show(second);
            works = System.currentTimeMillis() == second * 1000;
            probe.show(null);
        } catch (IOException | IllegalArgumentException e) {
            works = false;
        }
        if (!works) System.err.println("libfaketime is preloaded but System.currentTimeMillis() does not follow "
                + name + ": real clock only");
        return new FakeClock(Path.of(name), works);
    }

    boolean active() {
        return active;
    }

    /** Whether `now` (Unix seconds) can be written in libfaketime's absolute-date format. */
    static boolean expressible(long now) {
        // libfaketime parses the year with strptime's %Y (four digits here).
        return now >= -30610224000L && now <= 253402300799L; // 1000-01-01 .. 9999-12-31T23:59:59
    }

    /** Shows `now` (Unix seconds) to the whole process from here on; null: the real clock. */
    void show(Long now) throws IOException {
        if (file == null) return;
        String line;
        if (now == null) {
            line = "+0"; // an offset of zero from the real clock
        } else {
            if (!expressible(now)) throw new IllegalArgumentException("libfaketime's date format cannot show Unix time " + now);
            line = LocalDateTime.ofEpochSecond(now, 0, ZoneOffset.UTC).format(FORMAT);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.write(tmp, (line + "\n").getBytes(StandardCharsets.US_ASCII));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes the timestamp file (run.sh made it for this process). */
    void delete() {
        if (file == null) return;
        try {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".new"));
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.err.println("removing " + file + ": " + e);
        }
    }
}
