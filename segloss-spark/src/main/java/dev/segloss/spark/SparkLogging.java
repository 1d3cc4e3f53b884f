package dev.segloss.spark;

import java.net.URL;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.DefaultConfiguration;

/**
 * Keeps Spark's Log4j 2 output to warnings when nothing else configures it. Spark logs at INFO (dozens of
 * start-up lines) when Log4j has only its default configuration; segloss then installs its own
 * ({@code dev/segloss/spark/log4j2-segloss.properties}: WARN, one line per message on stderr). A
 * configuration given by the user or the cluster ({@code -Dlog4j2.configurationFile}, {@code
 * conf/log4j2.properties} under spark-submit) is left alone.
 */
final class SparkLogging {
  static final String CONFIG = "dev/segloss/spark/log4j2-segloss.properties";

  private SparkLogging() {}

  static synchronized void quiet() {
    if (System.getProperty("log4j2.configurationFile") != null || System.getProperty("log4j.configurationFile") != null) return;
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    if (!(ctx.getConfiguration() instanceof DefaultConfiguration)) return;
    URL url = SparkLogging.class.getClassLoader().getResource(CONFIG);
    if (url == null) return;
    try {
      Configurator.reconfigure(url.toURI());
    } catch (java.net.URISyntaxException e) {
      // keep Log4j's default (errors only)
    }
  }
}
