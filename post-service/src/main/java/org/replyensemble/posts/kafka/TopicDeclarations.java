package org.replyensemble.posts.kafka;

import org.apache.kafka.clients.admin.NewTopic;
import org.replyensemble.events.Topics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Declares the topics this service writes, so none is ever auto-created with broker defaults. */
@Configuration(proxyBeanMethods = false)
class TopicDeclarations {

    @Bean
    NewTopic postsTopic() {
        return Topics.postsTopic();
    }

    @Bean
    NewTopic erasuresTopic() {
        return Topics.erasuresTopic();
    }

    /** Hashes addresses for the erasure topic's keys; refuses to start without a key of its own outside development mode. */
    @Bean
    org.replyensemble.support.erasure.ErasureKey erasureKey(
            @org.springframework.beans.factory.annotation.Value("${ensemble.erasure.key:}") String key,
            @org.springframework.beans.factory.annotation.Value("${ensemble.development-mode:false}") boolean developmentMode) {
        return org.replyensemble.support.erasure.ErasureKey.from(key, developmentMode);
    }
}
