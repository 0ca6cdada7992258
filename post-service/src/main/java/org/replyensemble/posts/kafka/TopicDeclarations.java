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
}
