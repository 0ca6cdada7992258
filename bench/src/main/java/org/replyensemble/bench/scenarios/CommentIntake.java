package org.replyensemble.bench.scenarios;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.LongFunction;

import java.net.http.HttpRequest;

import org.replyensemble.bench.ensemble.EnsembleApi;
import org.replyensemble.bench.ensemble.EnsembleApi.Person;
import org.replyensemble.bench.load.HttpLoad;
import org.replyensemble.bench.report.Results.IntakeStep;

/**
 * Scenario 4: how many comments a second comment-service accepts (201), with latency, by a closed
 * loop of more and more clients. The comments go to posts of their own, each written by the post's
 * author: they take the whole path (position, insert, outbox, Kafka, thread stage) but give no email,
 * so the figure is the intake's, not the mail's. The same steps run against the empty endpoint.
 */
public final class CommentIntake {

    private final HttpLoad load;
    private final List<UUID> posts = new ArrayList<>();
    private final List<Person> authors = new ArrayList<>();
    private final EnsembleApi api;

    public CommentIntake(EnsembleApi api, HttpLoad load, int postCount) {
        this.api = api;
        this.load = load;
        for (int i = 0; i < postCount; i++) {
            Person author = new Person("Writer " + i, "writer-" + i + "@bench.test");
            UUID post = api.createPost("Intake post " + i, author);
            posts.add(post);
            authors.add(author);
        }
        // the first comment of each post waits for the replica; after that every post is known
        for (int i = 0; i < postCount; i++) {
            api.comment(posts.get(i), authors.get(i), "First.");
        }
    }

    public LongFunction<HttpRequest> requests() {
        return i -> {
            int p = (int) (i % posts.size());
            return api.commentRequest(posts.get(p), authors.get(p), "Intake comment " + i + ".");
        };
    }

    public List<IntakeStep> run(List<Integer> clientSteps, Duration stepDuration) {
        return steps(load, clientSteps, stepDuration, requests());
    }

    /** The same closed-loop steps for any endpoint that answers 201. */
    public static List<IntakeStep> steps(HttpLoad load, List<Integer> clientSteps, Duration stepDuration,
            LongFunction<HttpRequest> requests) {
        List<IntakeStep> steps = new ArrayList<>();
        for (int clients : clientSteps) {
            HttpLoad.Result result = load.closedLoop(clients, stepDuration, requests, 201, (i, r, n) -> { });
            steps.add(new IntakeStep(clients, result.seconds(), result.ok(), result.failed(), result.okPerSecond(), result.latency()));
        }
        return steps;
    }
}
