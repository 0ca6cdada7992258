package org.replyensemble.posts.posts;

import java.net.URI;

import jakarta.validation.Valid;
import org.replyensemble.support.paging.Page;
import org.replyensemble.support.paging.PageRequest;
import org.replyensemble.support.security.Account;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/posts")
class PostController {

    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_PAGE_SIZE = 100;

    private final Posts posts;

    PostController(Posts posts) {
        this.posts = posts;
    }

    @PostMapping
    ResponseEntity<PostView> publish(@Valid @RequestBody NewPost post, Account author) {
        Post stored = posts.publish(post, author);
        return ResponseEntity.created(URI.create("/api/posts/" + stored.id())).body(PostView.of(stored));
    }

    @GetMapping("/{idOrSlug}")
    PostView get(@PathVariable String idOrSlug) {
        return posts.find(idOrSlug).map(PostView::of).orElseThrow(() -> Posts.notFound(idOrSlug));
    }

    @GetMapping
    Page<PostView> list(@RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return posts.newestFirst(PageRequest.of(page, size, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE));
    }

    @PatchMapping("/{id}")
    PostView edit(@PathVariable String id, @Valid @RequestBody PostPatch patch, Account editor) {
        return Posts.asUuid(id).map(uuid -> PostView.of(posts.edit(uuid, patch, editor))).orElseThrow(() -> Posts.notFound(id));
    }
}
