package org.replyensemble.support.http;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Puts {@link ProblemReportValve} where Tomcat's ErrorReportValve was, and lets Tomcat parse form
 * bodies only up to the same limit as every other body.
 *
 * <p>Runs after Boot's own Tomcat customizer (which adds a plain ErrorReportValve to the host when
 * stack traces are hidden), so its context customizer comes later and can take that valve out:
 * two report valves would let the inner one (Boot's HTML page) write first.
 */
public class TomcatProblemsCustomizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

    private final int maxFormBytes;

    public TomcatProblemsCustomizer(int maxFormBytes) {
        this.maxFormBytes = maxFormBytes;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.addConnectorCustomizers(connector -> connector.setMaxPostSize(maxFormBytes));
        factory.addContextCustomizers(context -> {
            Container host = context.getParent();
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve && !(valve instanceof ProblemReportValve)) {
                    host.getPipeline().removeValve(valve);
                }
            }
            host.getPipeline().addValve(new ProblemReportValve());
            if (host instanceof StandardHost standardHost) {
                // So the host does not add its default HTML report valve when it starts.
                standardHost.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
        });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
