package org.sallyport.policy.guard;

import java.util.Locale;

/**
 * The kinds of SSH channel request a vendor can make. {@link #wireName()} is the name used in
 * policy files and audit events.
 */
public enum ChannelKind {
  /** Interactive shell ({@code ssh target}). */
  SHELL("shell"),
  /** A remote command ({@code ssh target 'cmd'}); rules may constrain the command line. */
  EXEC("exec"),
  /** A named subsystem, e.g. {@code sftp}; the detail is the subsystem name. */
  SUBSYSTEM("subsystem"),
  /**
   * {@code scp}: legacy scp runs as an exec of {@code scp -t}/{@code scp -f}; the guard classifies
   * such exec requests as SCP so a policy can refuse them by kind.
   */
  SCP("scp"),
  /** Local or remote TCP port forwarding; the detail is the address. */
  PORT_FORWARD("port-forward"),
  /** SSH agent forwarding. */
  AGENT("agent"),
  /** X11 forwarding. */
  X11("x11");

  private final String wireName;

  ChannelKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /**
   * Parses a wire name ({@code shell}, {@code exec}, {@code subsystem}, {@code sftp} (a
   * subsystem), {@code scp}, {@code port-forward}, {@code agent}, {@code x11}).
   *
   * @throws IllegalArgumentException naming the unknown kind
   */
  public static ChannelKind of(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    if (n.equals("sftp")) {
      return SUBSYSTEM;
    }
    for (ChannelKind k : values()) {
      if (k.wireName.equals(n)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown channel kind '" + name + "' (expected shell, exec, subsystem, sftp, scp,"
            + " port-forward, agent or x11)");
  }
}
