package org.sallyport.policy.guard;

import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds the command lines a vendor submits from the bytes they send, following readline's
 * emacs-mode editing: printable characters (and UTF-8 bytes, kept as Latin-1 chars) are inserted
 * at the cursor; backspace/DEL, ctrl-D and Delete delete one; ctrl-U kills before the cursor,
 * ctrl-K after it, ctrl-W the previous word; ctrl-A/E/B/F, arrows left/right (ctrl-: by word),
 * Home/End and Alt-b/f move the cursor; ctrl-C abandons the line; CR or LF submits. Inside a bracketed
 * paste ({@code ESC [200~ ... ESC [201~}) every pasted newline submits too, so each pasted line is
 * judged.
 *
 * <p>What cannot be known from the keystrokes alone is flagged instead of guessed: edits the
 * assembler does not model (ctrl-Y yank, ctrl-T, other Alt keys, other escape sequences), tab completion
 * (the words completed are remembered with whether they stood in command position) and history
 * recall (up/down, ctrl-P/N/R). The {@link StreamGuard} judges such lines conservatively.
 *
 * <p>Bounded memory: the first {@value #MAX} characters of a line are kept exactly; beyond that a
 * ring of the last {@value #MAX} appended characters is kept too (deletions past the first
 * {@value #MAX} are ignored there, which can only add matches). At most {@value #MAX_TAB_WORDS}
 * tab-completed words per line are remembered.
 *
 * <p>Not thread-safe: one instance per input stream.
 */
final class LineAssembler {
  static final int MAX = 4096;
  static final int MAX_TAB_WORDS = 16;

  /** A submitted line. */
  record Line(
      String text,
      String tail,
      String typed,
      List<String> tabCommandWords,
      boolean cursorMoved,
      boolean historyRecall,
      boolean pasted) {

    boolean uncertain() {
      return cursorMoved || historyRecall || !tabCommandWords.isEmpty();
    }
  }

  private static final int NORMAL = 0;
  private static final int ESC = 1;
  private static final int CSI = 2;
  private static final int SS3 = 3;

  private static final java.util.Set<String> WRAPPERS =
      java.util.Set.of("sudo", "busybox", "exec", "xargs", "nohup", "env", "command", "nice",
          "time", "watch", "stdbuf");

  private final char[] line = new char[MAX];
  private int len;
  /** Cursor position in {@code line}, following readline's emacs-mode motions. */
  private int cur;
  /** Every printable character in typing order (first MAX), judged too when editing is uncertain. */
  private final char[] typed = new char[MAX];
  private int typedLen;
  private final char[] ring = new char[MAX];
  private long ringCount;
  private boolean overflow;
  private final List<String> tabWords = new ArrayList<>();
  private boolean cursorMoved;
  private boolean historyRecall;
  private boolean pasted;
  private boolean inPaste;
  private int escState;
  private final StringBuilder csi = new StringBuilder(16);
  private boolean lastWasCr;

  /**
   * Feeds one byte; returns the line it submitted, or null. Empty lines (and the LF of a CRLF)
   * submit nothing.
   */
  Line push(int b) {
    boolean wasCr = lastWasCr;
    lastWasCr = false;
    switch (escState) {
      case ESC -> {
        escState = NORMAL;
        if (b == '[') {
          escState = CSI;
          csi.setLength(0);
        } else if (b == 'O') {
          escState = SS3;
        } else if (b == 'b') {
          wordBack();
        } else if (b == 'f') {
          wordForward();
        } else {
          cursorMoved = true; // other Alt-keys: word deletes, transposes, insert-last-argument
        }
        return null;
      }
      case CSI -> {
        if (b >= 0x40 && b <= 0x7E) {
          escState = NORMAL;
          csiDone(csi.toString(), (char) b);
        } else if (csi.length() < 16) {
          csi.append((char) b);
        }
        return null;
      }
      case SS3 -> {
        escState = NORMAL;
        motion((char) b, "");
        return null;
      }
      default -> {}
    }
    if (b >= 0x20 && b != 0x7F) {
      append((char) b);
      return null;
    }
    switch (b) {
      case 0x1B -> escState = ESC;
      case '\r', '\n' -> {
        if (b == '\n' && wasCr) {
          return null;
        }
        lastWasCr = b == '\r';
        return submit();
      }
      case 0x08, 0x7F -> {
        if (cur > 0 && !overflow) {
          deleteRange(cur - 1, cur);
        }
      }
      case 0x15 -> {
        if (!overflow) {
          deleteRange(0, cur); // ctrl-U: kill before the cursor
        }
      }
      case 0x01 -> cur = 0;
      case 0x05 -> cur = len;
      case 0x02 -> cur = Math.max(0, cur - 1);
      case 0x06 -> cur = Math.min(len, cur + 1);
      case 0x0B -> {
        if (!overflow) {
          len = cur; // ctrl-K: kill to the end
        }
      }
      case 0x04 -> {
        if (cur < len && !overflow) {
          deleteRange(cur, cur + 1);
        }
      }
      case 0x03 -> clear(); // ctrl-C: the shell abandons the line
      case 0x17 -> deleteWord();
      case '\t' -> tab();
      case 0x19, 0x14 -> cursorMoved = true; // yank, transpose: text we do not track
      case 0x10, 0x0E, 0x12, 0x13 -> historyRecall = true;
      default -> {}
    }
    return null;
  }

  private void csiDone(String params, char fin) {
    if (fin == '~' && params.equals("200")) {
      inPaste = true;
      pasted = true;
    } else if (fin == '~' && params.equals("201")) {
      inPaste = false;
    } else {
      motion(fin, params);
    }
  }

  /** Arrow keys, Home/End, Delete; anything else is an edit we do not follow. */
  private void motion(char fin, String params) {
    switch (fin) {
      case 'A', 'B' -> historyRecall = true;
      case 'C' -> cur = params.contains(";") ? wordForwardPos() : Math.min(len, cur + 1);
      case 'D' -> cur = params.contains(";") ? wordBackPos() : Math.max(0, cur - 1);
      case 'H' -> cur = 0;
      case 'F' -> cur = len;
      case '~' -> {
        switch (params) {
          case "1", "7" -> cur = 0;
          case "4", "8" -> cur = len;
          case "3" -> {
            if (cur < len && !overflow) {
              deleteRange(cur, cur + 1);
            }
          }
          default -> cursorMoved = true;
        }
      }
      default -> cursorMoved = true;
    }
  }

  private static boolean wordChar(char c) {
    return Character.isLetterOrDigit(c);
  }

  private int wordBackPos() {
    int i = cur;
    while (i > 0 && !wordChar(line[i - 1])) {
      i--;
    }
    while (i > 0 && wordChar(line[i - 1])) {
      i--;
    }
    return i;
  }

  private int wordForwardPos() {
    int i = cur;
    while (i < len && !wordChar(line[i])) {
      i++;
    }
    while (i < len && wordChar(line[i])) {
      i++;
    }
    return i;
  }

  private void wordBack() {
    cur = wordBackPos();
  }

  private void wordForward() {
    cur = wordForwardPos();
  }

  private void deleteRange(int from, int to) {
    System.arraycopy(line, to, line, from, len - to);
    len -= to - from;
    if (cur >= to) {
      cur -= to - from;
    } else if (cur > from) {
      cur = from;
    }
  }

  private void append(char c) {
    if (typedLen < MAX) {
      typed[typedLen++] = c;
    }
    if (len < MAX && !overflow) {
      if (cur < len) {
        System.arraycopy(line, cur, line, cur + 1, len - cur);
      }
      line[cur++] = c;
      len++;
    } else {
      overflow = true;
    }
    if (len == MAX || overflow) {
      ring[(int) (ringCount++ % MAX)] = c;
    }
  }

  /** ctrl-W: unix-word-rubout, whitespace-delimited, before the cursor. */
  private void deleteWord() {
    if (overflow) {
      return;
    }
    int i = cur;
    while (i > 0 && line[i - 1] == ' ') {
      i--;
    }
    while (i > 0 && line[i - 1] != ' ') {
      i--;
    }
    deleteRange(i, cur);
  }

  private void tab() {
    int end = cur;
    int start = end;
    while (start > 0 && !separator(line[start - 1])) {
      start--;
    }
    if (start < end && tabWords.size() < MAX_TAB_WORDS && commandPosition(start)) {
      String w = new String(line, start, end - start);
      int slash = w.lastIndexOf('/');
      tabWords.add(slash >= 0 ? w.substring(slash + 1) : w);
    }
    append('\t');
  }

  private boolean commandPosition(int start) {
    int i = start - 1;
    while (i >= 0 && (line[i] == ' ' || line[i] == '\t')) {
      i--;
    }
    if (i < 0 || "; & | ( ` { ' \"".indexOf(line[i]) >= 0 && line[i] != ' ') {
      return true;
    }
    int end = i + 1;
    while (i >= 0 && !separator(line[i])) {
      i--;
    }
    return WRAPPERS.contains(new String(line, i + 1, end - i - 1));
  }

  private static boolean separator(char c) {
    return c == ' ' || c == '\t' || c == ';' || c == '&' || c == '|' || c == '(' || c == '`'
        || c == '{' || c == '\'' || c == '"';
  }

  private Line submit() {
    Line l = null;
    if (len > 0 || historyRecall || !tabWords.isEmpty()) {
      String tail = null;
      if (overflow) {
        StringBuilder sb = new StringBuilder(MAX);
        long from = Math.max(0, ringCount - MAX);
        for (long k = from; k < ringCount; k++) {
          sb.append(ring[(int) (k % MAX)]);
        }
        tail = sb.toString();
      }
      l = new Line(new String(line, 0, len), tail, new String(typed, 0, typedLen),
          List.copyOf(tabWords), cursorMoved, historyRecall, pasted);
    }
    boolean stillPasting = inPaste;
    clear();
    inPaste = stillPasting;
    pasted = stillPasting;
    return l;
  }

  private void clearText() {
    len = 0;
    cur = 0;
    typedLen = 0;
    overflow = false;
    ringCount = 0;
  }

  /** Forgets the current line (after ctrl-C, or when the guard blocked it). */
  void clear() {
    clearText();
    tabWords.clear();
    cursorMoved = false;
    historyRecall = false;
    pasted = false;
    inPaste = false;
  }
}
