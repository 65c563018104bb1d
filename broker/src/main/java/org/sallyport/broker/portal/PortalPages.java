package org.sallyport.broker.portal;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.sallyport.broker.domain.Principal;
import org.sallyport.broker.domain.Role;

/**
 * The portal's HTML: a login form rendered here in full, and for every other page a labelled shell (header,
 * navigation, heading, an empty region) that {@code app.js} fills from the JSON API with DOM calls only.
 *
 * <p>Content-Security-Policy: scripts and styles only from this origin. xterm.js sets its colours and cell
 * sizes through {@code <style>} elements it creates at run time; those carry the per-response nonce (read by
 * the script from its own {@code nonce}), so no {@code 'unsafe-inline'} is needed.
 */
final class PortalPages {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One navigable page: path under /portal, title, who sees it in the navigation. */
    record Page(String name, String path, String title, List<Role> roles) {
        boolean visibleTo(Principal p) {
            return roles.stream().anyMatch(p::has);
        }
    }

    static final List<Page> NAV = List.of(
            new Page("queue", "/portal/queue", "Pending requests", List.of(Role.SUPERVISOR, Role.ADMIN, Role.INSPECTOR, Role.VENDOR_TECHNICIAN)),
            new Page("sessions", "/portal/sessions", "Active sessions", List.of(Role.SUPERVISOR, Role.ADMIN, Role.INSPECTOR, Role.VENDOR_TECHNICIAN)),
            new Page("history", "/portal/history", "Session history", List.of(Role.SUPERVISOR, Role.ADMIN, Role.INSPECTOR, Role.VENDOR_TECHNICIAN)),
            new Page("audit", "/portal/audit", "Audit search", List.of(Role.INSPECTOR, Role.ADMIN)),
            new Page("targets", "/portal/targets", "Targets", List.of(Role.SUPERVISOR, Role.ADMIN, Role.INSPECTOR, Role.VENDOR_TECHNICIAN)));

    private PortalPages() {}

    static String nonce() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /** The policy for portal pages; {@code nonce} admits only the style elements the bundled script creates. */
    static String csp(String nonce) {
        return "default-src 'none'; script-src 'self'; style-src 'self' 'nonce-" + nonce + "'; img-src 'self' data:; "
                + "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    }

    static String login(String nonce, String error, String username, String ssoPath) {
        StringBuilder b = head("Sign in", nonce, false);
        b.append("<body class=\"portal-login\">");
        skipLink(b);
        banner(b, null, null, null);
        b.append("<main id=\"main-content\" class=\"usa-section portal-main\"><div class=\"grid-container\">")
                .append("<div class=\"grid-row\"><div class=\"grid-col-12 tablet:grid-col-6\">")
                .append("<h1>Sign in to Sallyport</h1>");
        if (error != null) {
            b.append("<div class=\"usa-alert usa-alert--error usa-alert--slim\" role=\"alert\"><div class=\"usa-alert__body\">")
                    .append("<p class=\"usa-alert__text\">").append(esc(error)).append("</p></div></div>");
        }
        b.append("<form class=\"usa-form\" method=\"post\" action=\"/portal/login\" id=\"login-form\">")
                .append("<label class=\"usa-label\" for=\"username\">Username</label>")
                .append("<input class=\"usa-input\" id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" required autofocus value=\"")
                .append(esc(username == null ? "" : username)).append("\">")
                .append("<label class=\"usa-label\" for=\"password\">Password</label>")
                .append("<input class=\"usa-input\" id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>")
                .append("<button class=\"usa-button\" type=\"submit\" id=\"sign-in\">Sign in</button>")
                .append("</form>");
        if (ssoPath != null) {
            b.append("<p>Or <a class=\"usa-button usa-button--outline\" id=\"sso-link\" href=\"").append(esc(ssoPath))
                    .append("\">Sign in with SSO</a></p>");
        }
        b.append("</div></div></div></main></body></html>");
        return b.toString();
    }

    /** A page shell for a signed-in user; {@code app.js} renders {@code page} into {@code #page}. */
    static String shell(String nonce, String page, String title, Principal p, String csrf, String objectId) {
        StringBuilder b = head(title, nonce, true);
        b.append("<body data-page=\"").append(esc(page)).append("\" data-user=\"").append(esc(p.username()))
                .append("\" data-roles=\"").append(esc(p.roles().stream().map(Role::wireName).sorted().collect(Collectors.joining(" "))))
                .append("\" data-csrf=\"").append(esc(csrf)).append("\"");
        if (objectId != null) b.append(" data-id=\"").append(esc(objectId)).append("\"");
        b.append(">");
        skipLink(b);
        banner(b, p, csrf, page);
        b.append("<main id=\"main-content\" class=\"usa-section portal-main\" tabindex=\"-1\"><div class=\"grid-container\">")
                .append("<h1 id=\"page-title\">").append(esc(title)).append("</h1>")
                .append("<div id=\"status\" class=\"usa-sr-only\" role=\"status\" aria-live=\"polite\"></div>")
                .append("<noscript><p>This page needs JavaScript (served by this broker only).</p></noscript>")
                .append("<div id=\"page\" aria-labelledby=\"page-title\"><p>Loading…</p></div>")
                .append("</div></main></body></html>");
        return b.toString();
    }

    private static StringBuilder head(String title, String nonce, boolean script) {
        StringBuilder b = new StringBuilder(2048);
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(title)).append(" · Sallyport</title>")
                .append("<link rel=\"stylesheet\" href=\"/portal/assets/portal.css\">");
        if (script) b.append("<script src=\"/portal/assets/app.js\" nonce=\"").append(esc(nonce)).append("\" defer></script>");
        return b.append("</head>");
    }

    private static void skipLink(StringBuilder b) {
        b.append("<a class=\"usa-skipnav\" href=\"#main-content\">Skip to main content</a>");
    }

    private static void banner(StringBuilder b, Principal p, String csrf, String current) {
        b.append("<header class=\"usa-header usa-header--basic\"><div class=\"usa-nav-container\">")
                .append("<div class=\"usa-navbar\"><div class=\"usa-logo\"><em class=\"usa-logo__text\">")
                .append("<a href=\"/portal/queue\" title=\"Sallyport home\">Sallyport</a></em></div></div>");
        if (p != null) {
            b.append("<nav aria-label=\"Primary\" class=\"usa-nav\"><ul class=\"usa-nav__primary usa-accordion\">");
            for (Page page : NAV) {
                if (!page.visibleTo(p)) continue;
                boolean here = page.name().equals(current);
                b.append("<li class=\"usa-nav__primary-item\"><a class=\"usa-nav-link").append(here ? " usa-current" : "")
                        .append("\" href=\"").append(page.path()).append("\"").append(here ? " aria-current=\"page\"" : "")
                        .append("><span>").append(esc(page.title())).append("</span></a></li>");
            }
            b.append("<li class=\"usa-nav__primary-item\"><form method=\"post\" action=\"/portal/logout\" class=\"margin-top-1\">")
                    .append("<input type=\"hidden\" name=\"").append(PortalSessions.CSRF_FIELD).append("\" value=\"").append(esc(csrf)).append("\">")
                    .append("<button class=\"usa-button usa-button--unstyled padding-1\" type=\"submit\" id=\"sign-out\">Sign out ")
                    .append(esc(p.username())).append("</button></form></li>");
            b.append("</ul></nav>");
        }
        b.append("</div></header>");
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
