package org.replyensemble.support.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import org.replyensemble.testing.TestAccount;
import org.replyensemble.testing.TestIssuer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** The shared security of every service, on a small application with one rule of each kind. */
@SpringBootTest(classes = SecuredApplication.class, properties = "management.server.port=")
@AutoConfigureMockMvc
class AccountsTest {

    static final TestAccount ANN = TestAccount.author("ann", "Ann Author", "ann@example.org");
    static final TestAccount OLGA = TestAccount.operator("olga");
    static final TestIssuer ISSUER = TestIssuer.shared();
    static final String PROBLEM = "https://replyensemble.org/problems/";

    @DynamicPropertySource
    static void accounts(DynamicPropertyRegistry registry) {
        TestAccount.properties(ANN, OLGA).forEach((key, value) -> registry.add(key, () -> value));
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", ISSUER::publicKeyLocation);
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    ObservationRegistry observations;

    @Test
    void publicEndpointsNeedNoAccount() throws Exception {
        mvc.perform(get("/public")).andExpect(status().isOk()).andExpect(header().doesNotExist(HttpHeaders.SET_COOKIE));
    }

    @Test
    void withoutCredentialsItIs401ProblemWithBothChallengesAndNothingRuns() throws Exception {
        int before = SecuredApplication.changes.get();
        publish(null)
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEM + "authentication-required"))
                .andExpect(jsonPath("$.status").value(401))
                .andExpect(jsonPath("$.detail").value(containsString("needs an account")))
                .andExpect(header().stringValues(HttpHeaders.WWW_AUTHENTICATE,
                        hasItem(startsWith("Basic realm=\"replyensemble\""))))
                .andExpect(header().stringValues(HttpHeaders.WWW_AUTHENTICATE, hasItem(startsWith("Bearer realm=\"replyensemble\""))));
        mvc.perform(get("/no-rule-for-this")).andExpect(status().isUnauthorized());
        assertThat(SecuredApplication.changes.get()).isEqualTo(before);
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIs401() throws Exception {
        for (TestAccount wrong : List.of(ANN.withWrongPassword(), TestAccount.author("nobody", "No One", "no@example.org"))) {
            publish(wrong.basic())
                    .andExpect(status().isUnauthorized())
                    .andExpect(jsonPath("$.detail").value("The username or password was not accepted."));
        }
    }

    @Test
    void theWrongRoleIs403ProblemSayingWhichRoleItNeeds() throws Exception {
        int before = SecuredApplication.changes.get();
        publish(OLGA.basic())
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value(PROBLEM + "forbidden"))
                .andExpect(jsonPath("$.detail").value("Your account may not do this (it needs the role AUTHOR)."));
        json(post("/api/operations/retry")).header(HttpHeaders.AUTHORIZATION, ANN.basic())
                .perform(mvc).andExpect(status().isForbidden());
        assertThat(SecuredApplication.changes.get()).isEqualTo(before);
    }

    @Test
    void theRightAccountIsWhatTheControllerGets() throws Exception {
        publish(ANN.basic())
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.account").value("basic:ann"))
                .andExpect(jsonPath("$.name").value("Ann Author"))
                .andExpect(jsonPath("$.hasAddress").value(true))
                .andExpect(header().doesNotExist(HttpHeaders.SET_COOKIE));
    }

    @Test
    void aTokenOfTheIdentityProviderIsAnAccountToo() throws Exception {
        publish(TestIssuer.bearer(ISSUER.token("kc-42", "Kim Token", "kim@example.org", "author")))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.account").value("jwt:kc-42"))
                .andExpect(jsonPath("$.name").value("Kim Token"))
                .andExpect(jsonPath("$.hasAddress").value(true));
        publish(TestIssuer.bearer(ISSUER.token(Map.of("sub", "kc-43", "name", "Unverified", "email", "u@example.org",
                        "email_verified", false, "roles", List.of("AUTHOR")), Duration.ofMinutes(5))))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.hasAddress").value(false));
        publish(TestIssuer.bearer(ISSUER.token("kc-44", "Olga Token", "olga@example.org", "operator")))
                .andExpect(status().isForbidden());
    }

    @Test
    void aForgedTamperedOrExpiredTokenIs401WithTheBearerError() throws Exception {
        String good = ISSUER.token("kc-45", "Kim", "kim@example.org", "AUTHOR");
        String[] parts = good.split("\\.");
        String otherPayload = ISSUER.token("kc-46", "Mallory", "mallory@example.org", "AUTHOR", "OPERATOR").split("\\.")[1];
        int before = SecuredApplication.changes.get();
        for (String bad : List.of(
                parts[0] + "." + otherPayload + "." + parts[2], // payload swapped, signature kept
                ISSUER.token(Map.of("sub", "kc-47", "roles", List.of("AUTHOR")), Duration.ofMinutes(-10)),
                "not-a-jwt")) {
            publish(TestIssuer.bearer(bad))
                    .andExpect(status().isUnauthorized())
                    .andExpect(jsonPath("$.type").value(PROBLEM + "authentication-required"))
                    .andExpect(header().stringValues(HttpHeaders.WWW_AUTHENTICATE, hasItem(containsString("error=\"invalid_token\""))));
        }
        assertThat(SecuredApplication.changes.get()).isEqualTo(before);
    }

    @Test
    void aCrossSiteFormWithCachedCredentialsChangesNothing() throws Exception {
        int before = SecuredApplication.changes.get();
        // What a hidden form on another site makes the operator's browser send: a form body, the cached credentials.
        mvc.perform(post("/api/operations/retry").header(HttpHeaders.AUTHORIZATION, OLGA.basic())
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("x=1")
                        .header("Origin", "https://evil.example").header("Sec-Fetch-Site", "cross-site"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value(containsString("credentials of this request were ignored")));
        // An older browser without Sec-Fetch-Site, or a text/plain form carrying JSON-looking text.
        mvc.perform(post("/api/operations/retry").header(HttpHeaders.AUTHORIZATION, OLGA.basic())
                        .contentType(MediaType.TEXT_PLAIN).content("{\"x\":\"=1\"}"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value(containsString("it is not a JSON request")));
        // A JSON request that the browser marks as cross-site (a misconfigured CORS policy would let it through).
        json(post("/api/operations/retry")).header(HttpHeaders.AUTHORIZATION, OLGA.basic())
                .header("Sec-Fetch-Site", "same-site").perform(mvc)
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value(containsString("from another site")));
        assertThat(SecuredApplication.changes.get()).isEqualTo(before);

        json(post("/api/operations/retry")).header(HttpHeaders.AUTHORIZATION, OLGA.basic())
                .header("Sec-Fetch-Site", "same-origin").perform(mvc)
                .andExpect(status().isOk())
                .andExpect(content().string("retried by basic:olga"));
        assertThat(SecuredApplication.changes.get()).isEqualTo(before + 1);
    }

    @Test
    void aPublicFormStillWorksForABrowserThatHoldsCredentials() throws Exception {
        int before = SecuredApplication.changes.get();
        mvc.perform(post("/public-form").header(HttpHeaders.AUTHORIZATION, OLGA.basic())
                        .contentType(MediaType.APPLICATION_FORM_URLENCODED).content("token=abc"))
                .andExpect(status().isOk());
        assertThat(SecuredApplication.changes.get()).isEqualTo(before + 1);
    }

    @Test
    void startUpIsRefusedWithAPlaintextOrNoopPassword() {
        for (String password : List.of("hunter2-plain", "{noop}hunter2-plain")) {
            assertThatThrownBy(() -> SpringApplication.run(SecuredApplication.class, "--server.port=0",
                    "--management.server.port=", "--accounts.users[0].username=ann", "--accounts.users[0].password=" + password,
                    "--accounts.users[0].email=ann@example.org", "--accounts.users[0].roles=AUTHOR"))
                    .rootCause()
                    .isInstanceOf(AccountConfigurationException.class)
                    .hasMessageContaining("accounts.users[0] (ann): password:")
                    .hasMessageContaining("passwords are refused")
                    .message().doesNotContain("hunter2");
        }
    }

    @Test
    void signInsAreObservedButNotEveryFilterOfTheChain() throws Exception {
        List<String> observed = new CopyOnWriteArrayList<>();
        AtomicBoolean recording = new AtomicBoolean(true);
        // The registry outlives this test (the context is cached): the handler records only while it runs.
        observations.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStart(Observation.Context context) {
                if (recording.get()) {
                    observed.add(context.getName());
                }
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return recording.get();
            }
        });
        try {
            publish(ANN.basic()).andExpect(status().isCreated());
        } finally {
            recording.set(false);
        }
        assertThat(observed).as("the sign-in is still observed").contains("spring.security.authentications");
        assertThat(observed).as("no observation per filter of the chain")
                .noneMatch(name -> name.startsWith("spring.security.filterchains") || name.startsWith("spring.security.http."));
    }

    private ResultActions publish(String authorization) throws Exception {
        Json request = json(post("/api/articles")).content("{\"title\":\"Hello\"}");
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        return request.perform(mvc);
    }

    private static Json json(MockHttpServletRequestBuilder builder) {
        return new Json(builder.contentType(MediaType.APPLICATION_JSON));
    }

    private record Json(MockHttpServletRequestBuilder builder) {
        Json header(String name, String value) {
            builder.header(name, value);
            return this;
        }

        Json content(String body) {
            builder.content(body);
            return this;
        }

        ResultActions perform(MockMvc mvc) throws Exception {
            return mvc.perform(builder);
        }
    }
}
