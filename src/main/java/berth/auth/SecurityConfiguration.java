package berth.auth;

import berth.auth.ui.LoginView;
import berth.base.ApiErrors;
import com.vaadin.flow.spring.security.RequestUtil;
import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.MessageSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.HeaderWriterFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.session.HttpSessionEventPublisher;

/**
 * Three doors, three locks: the registry protocol and token service check their own credentials
 * (Appkeys, bearer tokens); the REST API takes HTTP Basic with the console password; the console
 * signs in through its login page.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {

    /**
     * What the console's pages may load and run: only from Berth itself. Vaadin Flow needs inline
     * scripts and styles (its bootstrap page carries them) and {@code eval} (it runs the JavaScript the
     * server sends, e.g. for copying to the clipboard), so those stay allowed; no other site's
     * scripts, no plugins, no framing by others, forms post only to Berth.
     */
    static final String CONSOLE_CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
            + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /**
     * Console form, REST API and actuator all sign in through this one provider, behind the one
     * throttle. The only {@code AuthenticationProvider} bean, so Spring Security builds its
     * authentication manager from it alone.
     */
    @Bean
    ThrottledSignIn passwordSignIn(ConsoleUserDetails accounts, PasswordEncoder passwords, AuthSettings settings,
                                   berth.base.Caches caches, LoginThrottle throttle) {
        return new ThrottledSignIn(new RememberingPasswordCheck(accounts, passwords, settings.passwordCache(), caches), throttle);
    }

    /** The registry protocol and token service: every request is authorized by Berth's own checks. */
    @Bean
    @Order(1)
    SecurityFilterChain registryProtocol(HttpSecurity http) throws Exception {
        return http.securityMatcher("/v2", "/v2/**", "/auth/token", "/auth/certs", "/api/registry/events")
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .securityContext(c -> c.disable())
                .anonymous(Customizer.withDefaults())
                .build();
    }

    /** The REST API and OpenAPI description: HTTP Basic with email and console password. */
    @Bean
    @Order(2)
    SecurityFilterChain restApi(HttpSecurity http) throws Exception {
        return http.securityMatcher("/api/**", "/v3/api-docs", "/v3/api-docs/**")
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**").permitAll()
                        .anyRequest().authenticated())
                .httpBasic(b -> b.authenticationEntryPoint(SecurityConfiguration::jsonUnauthorized))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint(SecurityConfiguration::jsonUnauthorized)
                        .accessDeniedHandler((request, response, denied) ->
                                ApiErrors.write(request, response, HttpStatus.FORBIDDEN, "forbidden", "You may not do this.")))
                // No cookies here, but a browser replays cached Basic credentials: CrossSiteRequests stands in for CSRF tokens.
                .addFilterBefore(new CrossSiteRequests(), BasicAuthenticationFilter.class)
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .build();
    }

    /** 401 with the Basic challenge, or 429 with {@code Retry-After} when the throttle refused the attempt. */
    private static void jsonUnauthorized(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (e instanceof ThrottledSignIn.Throttled throttled) {
            response.setHeader(HttpHeaders.RETRY_AFTER, ApiErrors.retryAfterSeconds(throttled.retryAfter()));
            ApiErrors.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "too_many_requests", e.getMessage());
            return;
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Berth API\", charset=\"UTF-8\"");
        ApiErrors.write(request, response, HttpStatus.UNAUTHORIZED, "unauthorized", "Sign in with HTTP Basic: your account email and console password.");
    }

    /** Actuator: health is public for load balancers; metrics and the version need a system administrator. */
    @Bean
    @Order(3)
    SecurityFilterChain operations(HttpSecurity http) throws Exception {
        return http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(a -> a
                        .requestMatchers(EndpointRequest.to("health")).permitAll()
                        .anyRequest().hasRole(ConsoleUserDetails.SYSTEM_ADMIN))
                .httpBasic(b -> b.authenticationEntryPoint(SecurityConfiguration::jsonUnauthorized))
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .build();
    }

    /** Every console session by account, so that a new password can end the others (ConsoleSessions). */
    @Bean
    SessionRegistry consoleSessionRegistry() {
        return new SessionRegistryImpl();
    }

    /** Tells the registry when a session ends or changes its id (on sign-in). */
    @Bean
    HttpSessionEventPublisher sessionEvents() {
        return new HttpSessionEventPublisher();
    }

    /** The console. */
    @Bean
    @Order(4)
    SecurityFilterChain console(HttpSecurity http, SessionRegistry sessions, RequestUtil vaadinRequests, MessageSource messages)
            throws Exception {
        return http.authorizeHttpRequests(a -> a.requestMatchers("/berth.css", "/icons/**", "/favicon.ico").permitAll())
                // Vaadin's login page settings keep a failure handler that is already set. The page is named
                // here too, or Spring Security would put its own generated sign-in page in front of Vaadin's.
                .formLogin(f -> f.loginPage("/login").failureHandler(new ConsoleSignInFailure(messages)))
                // Vaadin exempts its login form from CSRF; the form sends the token anyway (from the page's
                // _csrf meta tag), so only Vaadin's own requests, which carry their own token, stay exempt.
                // Any other address goes to the console when signed in, so an unknown one gets its styled 404 page.
                .with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin.loginView(LoginView.class).enableCsrfConfiguration(false)
                        .anyRequest(AuthorizeHttpRequestsConfigurer.AuthorizedUrl::authenticated))
                .csrf(c -> c.ignoringRequestMatchers(vaadinRequests::isFrameworkInternalRequest))
                .headers(h -> {
                    // At once, not when the response commits: Vaadin's pages are served by a forward to its
                    // servlet, and headers written on commit never reached them.
                    h.addObjectPostProcessor(new ObjectPostProcessor<HeaderWriterFilter>() {
                        @Override
                        public <O extends HeaderWriterFilter> O postProcess(O filter) {
                            filter.setShouldWriteHeadersEagerly(true);
                            return filter;
                        }
                    });
                    h.contentSecurityPolicy(csp -> csp.policyDirectives(CONSOLE_CONTENT_SECURITY_POLICY))
                            .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                            .frameOptions(f -> f.sameOrigin());
                })
                // An ended session is signed out, then the request goes on as anyone's without a
                // session would: a page load is sent to the sign-in page, and the console's own
                // requests get Vaadin's "session expired", on which the browser reloads into it.
                .sessionManagement(s -> s.sessionConcurrency(c -> c.maximumSessions(-1).sessionRegistry(sessions)
                        .expiredSessionStrategy(ended -> ended.getFilterChain().doFilter(ended.getRequest(), ended.getResponse()))))
                .build();
    }
}
