/** Text for messages (an unsupported reason ends up in reports and terminals). */
final class Text {
    private Text() {}

    /** `s` with control characters and non-ASCII chars written as \\xNN or \\uNNNN. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c < 0x7f) b.append(c);
            else if (c < 0x100) b.append(String.format("\\x%02x", (int) c));
            else b.append(String.format("\\u%04x", (int) c));
        }
        return b.toString();
    }
}
