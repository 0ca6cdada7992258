package org.replyensemble.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.replyensemble.events.contract.EventContract;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A schema change that would break a consumer fails the build unless it comes with a new topic
 * version. The released schemas are committed under src/test/resources/released/{topic}/{n}.schema.json
 * (a baseline taken from git would not exist in a fresh clone): the current schema of each topic
 * must be a compatible evolution of every release of that topic (see {@link SchemaCompatibility}),
 * and must equal the newest release, so a compatible change is released (a new file) in the same
 * change and is itself protected from then on. Released files are never edited.
 */
class ReleasedSchemasTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.schema\\.json");

    @Test
    void everyTopicsCurrentSchemaIsItsNewestReleaseAndBreaksNoEarlierOne() {
        List<String> problems = new ArrayList<>();
        EventContract.SCHEMAS.forEach((topic, resource) ->
                problems.addAll(problems(topic, resource, JSON.readTree(EventContract.read(resource)))));
        assertThat(problems).as("""
                Breaking changes within a topic version. Keep the change compatible (README, "Compatibility \
                policy"), or publish it on a new topic version: a new constant in Topics (blog.comments.v2), \
                its own schema file (comment-event.v2.schema.json) and released/blog.comments.v2/1.schema.json""")
                .isEmpty();
    }

    @Test
    void aBreakingChangeToTheRealCommentSchemaIsCaughtAndNamed() {
        JsonNode current = JSON.readTree(EventContract.read(EventContract.SCHEMAS.get(Topics.COMMENTS)));
        ((ObjectNode) current.at("/properties/comment/properties")).remove("notify");
        ((ObjectNode) current.at("/$defs/person/properties/email")).put("format", "idn-email");
        assertThat(problems(Topics.COMMENTS, "events/comment-event.v1.schema.json", current)).contains(
                "release 1 of blog.comments.v1: comment.notify: property removed",
                "release 1 of blog.comments.v1: comment.author.email: format changed from \"email\" to \"idn-email\"");
    }

    @Test
    void aCompatibleChangeMustBeReleasedToo() {
        JsonNode current = JSON.readTree(EventContract.read(EventContract.SCHEMAS.get(Topics.COMMENTS)));
        ((ObjectNode) current.at("/properties/type")).putArray("enum").add(CommentEvent.POSTED).add(CommentEvent.EDITED)
                .add(CommentEvent.DELETED).add(CommentEvent.HIDDEN).add(CommentEvent.UNHIDDEN).add("CommentPinned");
        assertThat(problems(Topics.COMMENTS, "events/comment-event.v1.schema.json", current)).containsExactly(
                "blog.comments.v1 changed compatibly since its newest release 2: release it as"
                        + " src/test/resources/released/blog.comments.v1/3.schema.json (a copy of events/comment-event.v1.schema.json)");
    }

    private static List<String> problems(String topic, String resource, JsonNode current) {
        Map<Integer, JsonNode> releases = releasesOf(topic);
        String folder = "src/test/resources/released/" + topic;
        if (releases.isEmpty()) {
            return List.of(topic + " has no released schema: copy " + resource + " to " + folder + "/1.schema.json");
        }
        List<String> problems = new ArrayList<>();
        releases.forEach((number, released) -> SchemaCompatibility.breakingChanges(released, current)
                .forEach(change -> problems.add("release " + number + " of " + topic + ": " + change)));
        int newest = releases.keySet().stream().max(Comparator.naturalOrder()).orElseThrow();
        if (problems.isEmpty() && !SchemaCompatibility.sameContract(releases.get(newest), current)) {
            problems.add(topic + " changed compatibly since its newest release " + newest + ": release it as " + folder + "/"
                    + (newest + 1) + ".schema.json (a copy of " + resource + ")");
        }
        return problems;
    }

    private static Map<Integer, JsonNode> releasesOf(String topic) {
        Map<Integer, JsonNode> releases = new java.util.TreeMap<>();
        Path folder = releasedFolder().resolve(topic);
        if (!Files.isDirectory(folder)) {
            return releases;
        }
        try (Stream<Path> files = Files.list(folder)) {
            files.forEach(file -> {
                Matcher name = RELEASE.matcher(file.getFileName().toString());
                assertThat(name.matches()).as("released file %s is named <n>.schema.json", file).isTrue();
                releases.put(Integer.parseInt(name.group(1)), JSON.readTree(file.toFile()));
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return releases;
    }

    private static Path releasedFolder() {
        try {
            return Path.of(ReleasedSchemasTest.class.getClassLoader().getResource("released").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
