package berth.auth;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.web.util.HtmlUtils;

/**
 * A failed console sign-in goes back to the sign-in page with its error shown; one the throttle
 * refused is answered right there with 429, {@code Retry-After} and a sentence saying how long to
 * wait, since a redirect cannot carry that status.
 */
final class ConsoleSignInFailure implements AuthenticationFailureHandler {

    private final AuthenticationFailureHandler wrongPassword = new SimpleUrlAuthenticationFailureHandler("/login?error");
    private final MessageSource messages;

    ConsoleSignInFailure(MessageSource messages) {
        this.messages = messages;
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException, ServletException {
        if (!(failure instanceof ThrottledSignIn.Throttled throttled)) {
            wrongPassword.onAuthenticationFailure(request, response, failure);
            return;
        }
        long seconds = Math.max(1, throttled.retryAfter().toSeconds());
        String sentence = HtmlUtils.htmlEscape(messages.getMessage("login.throttled", new Object[] {seconds}, request.getLocale()));
        String again = HtmlUtils.htmlEscape(messages.getMessage("login.try-again", null, request.getLocale()));
        byte[] page = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>Berth</title></head><body><p id=\"throttled\">"
                + sentence + "</p><p><a href=\"login\">" + again + "</a></p></body></html>").getBytes(StandardCharsets.UTF_8);
        response.setStatus(429);
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        response.setContentType("text/html;charset=utf-8");
        response.setContentLength(page.length);
        response.getOutputStream().write(page);
    }
}
