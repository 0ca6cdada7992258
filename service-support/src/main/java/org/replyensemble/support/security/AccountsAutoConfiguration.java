package org.replyensemble.support.security;

import java.util.List;

import jakarta.servlet.DispatcherType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.context.support.WebApplicationContextUtils;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Accounts for every service, the same way: HTTP Basic over the configured accounts
 * ({@link ConfiguredAccounts}) and, when {@code spring.security.oauth2.resourceserver.jwt.issuer-uri}
 * (or {@code jwk-set-uri}, {@code public-key-location}) is set, bearer tokens of that identity
 * provider ({@link JwtAccounts}). Stateless: no HTTP session, no cookie; every request carries its
 * credentials. 401 and 403 are problem details ({@link SecurityProblems}). The one cookie is the
 * CSRF token of the HTML forms a service declares ({@link BrowserForms}); every answer of the public
 * port carries the page security headers ({@link PageProperties}).
 * <p>
 * What is open: error pages, health ({@code /livez}, {@code /readyz} on the public port), whatever
 * the management server serves (its port is not published: actuator, Swagger UI), then each
 * service's {@link AccessRules}; anything else needs an account.
 */
@AutoConfiguration(before = { ServletWebSecurityAutoConfiguration.class, ManagementWebSecurityAutoConfiguration.class,
        UserDetailsServiceAutoConfiguration.class, OAuth2ResourceServerAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ SecurityFilterChain.class, JwtDecoder.class })
@EnableConfigurationProperties({ AccountProperties.class, PageProperties.class })
public class AccountsAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AccountsAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean(UserDetailsService.class)
    ConfiguredAccounts configuredAccounts(AccountProperties properties) {
        return new ConfiguredAccounts(properties.users());
    }

    /** Reads {bcrypt}...; plaintext and {noop} never get this far ({@link ConfiguredAccounts}). */
    @Bean
    @ConditionalOnMissingBean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    JwtAccounts jwtAccounts(AccountProperties properties) {
        return new JwtAccounts(properties.jwt());
    }

    @Bean
    @ConditionalOnMissingBean(SecurityFilterChain.class)
    SecurityFilterChain accountsSecurityFilterChain(HttpSecurity http, ObjectProvider<AccessRules> serviceRules,
            ObjectProvider<BrowserForms> browserForms, PageProperties pages,
            ObjectProvider<JwtDecoder> jwtDecoder, JwtAccounts jwtAccounts, ObjectProvider<ConfiguredAccounts> accounts,
            Environment environment) throws Exception {
        boolean bearerTokens = jwtDecoder.getIfAvailable() != null;
        boolean separateManagementServer = ManagementPortType.get(environment) == ManagementPortType.DIFFERENT;
        describe(environment, accounts.getIfAvailable(), bearerTokens, separateManagementServer);
        SecurityProblems problems = new SecurityProblems(bearerTokens);

        List<RequestMatcher> forms = browserForms.orderedStream().map(BrowserForms::submissions).toList();
        if (forms.isEmpty()) {
            http.csrf(AbstractHttpConfigurer::disable); // no session or cookie to protect; see CrossSiteCredentialsFilter
        } else {
            // Only the pages' own forms (BrowserForms) carry a CSRF token, kept in a cookie: no session,
            // and the JSON API stays as it is (CrossSiteCredentialsFilter covers its credentials).
            CookieCsrfTokenRepository cookies = new CookieCsrfTokenRepository();
            cookies.setCookieCustomizer(cookie -> cookie.sameSite("Strict").path("/"));
            http.csrf(csrf -> csrf.csrfTokenRepository(cookies).requireCsrfProtectionMatcher(new OrRequestMatcher(forms)));
        }
        http.headers(headers -> headers
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.get(pages.referrerPolicy())))
                        // Not on the management server: its Swagger UI is a page of its own with inline code.
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(new NegatedRequestMatcher(onManagementServer()),
                                new ContentSecurityPolicyHeaderWriter(pages.contentSecurityPolicy()))))
                .addFilterAt(new CrossSiteCredentialsFilter(), CsrfFilter.class)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .httpBasic(basic -> basic.realmName(SecurityProblems.REALM).authenticationEntryPoint(problems))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(new CsrfFailures(problems)))
                .authorizeHttpRequests(rules -> {
                    rules.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                    rules.requestMatchers(onManagementServer()).permitAll();
                    rules.requestMatchers(EndpointRequest.to(HealthEndpoint.class),
                            EndpointRequest.toAdditionalPaths(WebServerNamespace.SERVER, HealthEndpoint.class)).permitAll();
                    // Reached only when the actuator shares the public port (management.server.port unset):
                    // then its other endpoints are for operators.
                    rules.requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole(Role.OPERATOR.name());
                    serviceRules.orderedStream().forEach(service -> service.configure(rules));
                    rules.anyRequest().authenticated();
                });
        if (bearerTokens) {
            http.oauth2ResourceServer(tokens -> tokens.authenticationEntryPoint(problems)
                    .accessDeniedHandler(problems)
                    .jwt(jwt -> jwt.jwtAuthenticationConverter(jwtAccounts)));
        }
        if (!separateManagementServer) {
            log.warn("management.server.port is not set apart from server.port: the actuator shares the public port "
                    + "(its endpoints other than health need an OPERATOR account there)");
        }
        return http.build();
    }

    /**
     * Spring Security's observations without the one of every filter in the chain (an observation
     * and two events per filter, on every request). Sign-ins and access decisions are still
     * observed, and each request's own timing is {@code http.server.requests}. Without the per-filter
     * observation, comment-service's request threads took 10-12% less CPU at 100-200 comments/s
     * (docs/benchmark.md, 2026-12-04). Spring Security plans this as its default
     * (spring-projects/spring-security#15858); until then it is set here.
     */
    @Bean
    @ConditionalOnMissingBean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.withDefaults().build();
    }

    /** Controllers take the signed-in {@link Account} as a parameter. */
    @Bean
    WebMvcConfigurer accountArgument() {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new AccountArgumentResolver());
            }
        };
    }

    /** The {@link Account} parameter is the caller, not a request parameter: springdoc must not document it as one. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SpringDocUtils.class)
    static class OpenApiDocuments {
        static {
            SpringDocUtils.getConfig().addRequestWrapperToIgnore(Account.class);
        }
    }

    /** A request the management server received (its own port, which compose does not publish). */
    private static RequestMatcher onManagementServer() {
        return request -> {
            WebApplicationContext context = WebApplicationContextUtils.getWebApplicationContext(request.getServletContext());
            return context != null && WebServerApplicationContext.hasServerNamespace(context, "management");
        };
    }

    private static void describe(Environment environment, ConfiguredAccounts accounts, boolean bearerTokens,
            boolean separateManagementServer) {
        int configured = accounts == null ? 0 : accounts.size();
        String provider = firstSet(environment, "spring.security.oauth2.resourceserver.jwt.issuer-uri",
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri",
                "spring.security.oauth2.resourceserver.jwt.public-key-location");
        log.info("Accounts: {} configured (HTTP Basic); identity provider: {}", configured,
                bearerTokens ? (provider == null ? "a JwtDecoder bean" : provider) : "none");
        if (configured == 0 && !bearerTokens) {
            log.warn("No accounts and no identity provider: whatever needs an account is refused to everyone. "
                    + "Set accounts.users[n].* (ACCOUNTS_USERS_<n>_*) or spring.security.oauth2.resourceserver.jwt.issuer-uri.");
        }
    }

    private static String firstSet(Environment environment, String... names) {
        for (String name : names) {
            String value = environment.getProperty(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
