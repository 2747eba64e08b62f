package berth.auth;

import berth.auth.ui.LoginView;
import com.vaadin.flow.spring.security.VaadinSecurityConfigurer;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.session.HttpSessionEventPublisher;

/**
 * Three doors, three locks: the registry protocol and token service check their own credentials
 * (Appkeys, bearer tokens); the REST API takes HTTP Basic with the console password; the console
 * signs in through its login page.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class SecurityConfiguration {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** Console form, REST API and actuator all sign in through this one provider. */
    @Bean
    RememberingPasswordCheck passwordSignIn(ConsoleUserDetails accounts, PasswordEncoder passwords, AuthSettings settings,
                                            berth.base.Caches caches) {
        return new RememberingPasswordCheck(accounts, passwords, settings.passwordCache(), caches);
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
                        .accessDeniedHandler((request, response, denied) -> json(response, 403, "forbidden", "You may not do this.")))
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .build();
    }

    private static void jsonUnauthorized(jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
            org.springframework.security.core.AuthenticationException e) throws java.io.IOException {
        response.setHeader("WWW-Authenticate", "Basic realm=\"Berth API\", charset=\"UTF-8\"");
        json(response, 401, "unauthorized", "Sign in with HTTP Basic: your account email and console password.");
    }

    private static void json(jakarta.servlet.http.HttpServletResponse response, int status, String error, String message)
            throws java.io.IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"error\":\"" + error + "\",\"message\":\"" + message + "\"}");
    }

    /** Actuator: health is public for load balancers; metrics need a system administrator. */
    @Bean
    @Order(3)
    SecurityFilterChain operations(HttpSecurity http) throws Exception {
        return http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .authorizeHttpRequests(a -> a
                        .requestMatchers(EndpointRequest.to("health", "info")).permitAll()
                        .anyRequest().hasRole(ConsoleUserDetails.SYSTEM_ADMIN))
                .httpBasic(Customizer.withDefaults())
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
    SecurityFilterChain console(HttpSecurity http, SessionRegistry sessions) throws Exception {
        return http.authorizeHttpRequests(a -> a.requestMatchers("/berth.css", "/icons/**", "/favicon.ico").permitAll())
                // Any other address goes to the console when signed in, so an unknown one gets its styled 404 page.
                .with(VaadinSecurityConfigurer.vaadin(), vaadin -> vaadin.loginView(LoginView.class)
                        .anyRequest(AuthorizeHttpRequestsConfigurer.AuthorizedUrl::authenticated))
                // An ended session is signed out, then the request goes on as anyone's without a
                // session would: a page load is sent to the sign-in page, and the console's own
                // requests get Vaadin's "session expired", on which the browser reloads into it.
                .sessionManagement(s -> s.sessionConcurrency(c -> c.maximumSessions(-1).sessionRegistry(sessions)
                        .expiredSessionStrategy(ended -> ended.getFilterChain().doFilter(ended.getRequest(), ended.getResponse()))))
                .build();
    }
}
