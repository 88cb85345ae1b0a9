package dev.amocrmsync.simulator;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.http.Cookie;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The account's web login, as the browser-session service meets it: a form with {@code input[name=username]},
 * {@code input[name=password]} and {@code button[type=submit]}, a pipeline page after success, and session cookies
 * ({@code session_id}, plus an {@code access_token} the API also accepts as a bearer token). Variants make the form
 * two-step, add a captcha, or ask for a second factor; sessions can be expired at will.
 */
public final class LoginPages {

    public enum Variant {
        ONE_STEP,
        /** The password field appears only after "Далее". */
        TWO_STEP,
        CAPTCHA,
        SECOND_FACTOR
    }

    static final String PIPELINE = "/leads/pipeline/8580102";

    private final String email;
    private final String password;
    private final Map<String, Boolean> sessions = new ConcurrentHashMap<>();
    private final Map<String, Boolean> accessTokens = new ConcurrentHashMap<>();
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile Variant variant = Variant.ONE_STEP;

    private LoginPages(String email, String password) {
        this.email = email;
        this.password = password;
    }

    /** Adds the login pages to the simulator; its API then also accepts the sessions they open. */
    public static LoginPages install(SimulatorServer server, String email, String password) {
        LoginPages pages = new LoginPages(email, password);
        Router router = server.router();
        router.get("/").handler(pages::home);
        router.post("/auth/login").handler(BodyHandler.create()).handler(pages::submit);
        router.get("/leads/pipeline/:id").handler(pages::pipeline);
        server.authenticateAlsoBy(pages::accepts);
        return pages;
    }

    public LoginPages variant(Variant variant) {
        this.variant = variant;
        return this;
    }

    /** Every open session ends, as when amoCRM logs a user out: the next API call answers 401. */
    public void expireAll() {
        sessions.clear();
        accessTokens.clear();
    }

    /** Successful logins so far. */
    public int logins() {
        return logins.get();
    }

    /** Form submissions so far, successful or not. */
    public int attempts() {
        return attempts.get();
    }

    boolean accepts(RoutingContext ctx) {
        Cookie session = ctx.request().getCookie("session_id");
        if (session != null && sessions.containsKey(session.getValue())) {
            return true;
        }
        String header = ctx.request().getHeader("Authorization");
        return header != null && header.startsWith("Bearer ") && accessTokens.containsKey(header.substring(7));
    }

    private void home(RoutingContext ctx) {
        if (accepts(ctx)) {
            ctx.redirect(PIPELINE);
        } else {
            html(ctx, 200, form(null));
        }
    }

    private void pipeline(RoutingContext ctx) {
        if (accepts(ctx)) {
            html(ctx, 200, "<html><head><title>Сделки</title></head><body><h1>Аренда авто</h1></body></html>");
        } else {
            ctx.redirect("/");
        }
    }

    private void submit(RoutingContext ctx) {
        attempts.incrementAndGet();
        String user = ctx.request().getFormAttribute("username");
        String secret = ctx.request().getFormAttribute("password");
        if (variant == Variant.CAPTCHA) {
            html(ctx, 200, form("Подтвердите, что вы не робот"));
        } else if (!email.equals(user) || !password.equals(secret)) {
            html(ctx, 200, form("Неверный логин или пароль"));
        } else if (variant == Variant.SECOND_FACTOR) {
            html(ctx, 200, "<html><body><form><label>Введите код из SMS</label>"
                    + "<input name=\"code\" autocomplete=\"one-time-code\"><button type=\"submit\">Войти</button>"
                    + "</form></body></html>");
        } else {
            String session = UUID.randomUUID().toString();
            String token = UUID.randomUUID().toString().replace("-", "");
            sessions.put(session, true);
            accessTokens.put(token, true);
            logins.incrementAndGet();
            ctx.response().addCookie(Cookie.cookie("session_id", session).setPath("/").setHttpOnly(true));
            ctx.response().addCookie(Cookie.cookie("access_token", token).setPath("/"));
            ctx.redirect(PIPELINE);
        }
    }

    private String form(String error) {
        boolean twoStep = variant == Variant.TWO_STEP;
        String captcha = variant == Variant.CAPTCHA
                ? "<div class=\"g-recaptcha\" data-sitekey=\"simulated\"><iframe title=\"reCAPTCHA\" src=\"about:blank\"></iframe></div>"
                : "";
        String script = twoStep ? """
                <script>
                  document.querySelector('form').addEventListener('submit', function (event) {
                    var password = document.querySelector('input[name=password]');
                    if (password.style.display === 'none') {
                      event.preventDefault();
                      password.style.display = 'block';
                      document.querySelector('button[type=submit]').textContent = 'Войти';
                    }
                  });
                </script>""" : "";
        return "<html><head><title>amoCRM — вход</title></head><body>"
                + "<form method=\"post\" action=\"/auth/login\" class=\"auth_form\">"
                + (error == null ? "" : "<div class=\"auth_form__error\" role=\"alert\">" + error + "</div>")
                + "<input name=\"username\" type=\"email\" placeholder=\"Логин\">"
                + "<input name=\"password\" type=\"password\" placeholder=\"Пароль\""
                + (twoStep ? " style=\"display:none\"" : "")
                + ">" + captcha
                + "<button type=\"submit\">" + (twoStep ? "Далее" : "Войти") + "</button></form>" + script + "</body></html>";
    }

    private static void html(RoutingContext ctx, int status, String body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8").end(body);
    }
}
