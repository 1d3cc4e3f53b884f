package dev.segloss.train.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven over the DevTools protocol (CDP) for page tests: a browser process with a new
 * empty profile and no network services ({@link #FLAGS}), a WebSocket on the loopback interface (Java's own
 * client), one {@link Page} per test view. Every network request, console message, uncaught exception and
 * browser log entry of a page is recorded.
 *
 * <p>The browser is Debian's {@code chromium} on the PATH, or the executable named by {@code
 * SEGLOSS_CHROMIUM}; {@code scripts/test.sh} installs it when missing.
 */
final class HeadlessChromium implements AutoCloseable {
  /** The flags: headless, no sandbox (CI runs as root), nothing that talks to the network on its own. */
  static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
      "--mute-audio", "--hide-scrollbars", "--remote-debugging-port=0");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Deque<String> output = new ArrayDeque<>();
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final Map<String, Page> pages = new ConcurrentHashMap<>();

  /** The browser executable, or an error saying how to get one. */
  static Path executable() {
    String env = System.getenv("SEGLOSS_CHROMIUM");
    if (env != null && !env.isBlank()) {
      Path p = Path.of(env);
      if (!Files.isExecutable(p)) throw new AssertionError("SEGLOSS_CHROMIUM=" + env + " is not an executable file");
      return p;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
        Path p = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(p)) return p;
      }
    }
    throw new AssertionError("headless Chromium not found on the PATH: install Debian's chromium (bash scripts/ensure-tools.sh --browser,"
        + " which scripts/test.sh runs) or set SEGLOSS_CHROMIUM to its executable");
  }

  /** Starts the browser with a new profile in {@code profile} (an empty folder). */
  HeadlessChromium(Path profile) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(executable().toString());
    cmd.addAll(FLAGS);
    cmd.add("--user-data-dir=" + profile.toAbsolutePath());
    cmd.add("about:blank");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    process = pb.start();
    CompletableFuture<String> url = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (output) {
            output.addLast(line);
            if (output.size() > 40) output.removeFirst();
          }
          Matcher m = LISTENING.matcher(line);
          if (m.find()) url.complete(m.group(1));
        }
      } catch (IOException e) {
        // the browser went away; the waiters below time out or fail with its output
      }
      url.completeExceptionally(new IOException("the browser ended before it listened"));
    }, "chromium-output");
    reader.setDaemon(true);
    reader.start();
    String ws;
    try {
      ws = url.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      destroy();
      throw new AssertionError("headless Chromium did not start (" + e.getMessage() + "); its output:\n" + output(), e);
    }
    socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(URI.create(ws), new Listener()).join();
  }

  /** The browser's last lines of output (for failure messages). */
  String output() {
    synchronized (output) {
      return String.join("\n", output);
    }
  }

  /** Opens a new tab, with page, runtime, network and log events recorded. */
  Page newPage() {
    String target = call(null, "Target.createTarget", Map.of("url", "about:blank")).get("targetId").asText();
    String session = call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true)).get("sessionId").asText();
    Page p = new Page(target, session);
    pages.put(session, p);
    for (String domain : List.of("Page", "Runtime", "Network", "Log")) p.call(domain + ".enable", Map.of());
    return p;
  }

  /** Sends a command (to a page's session, or to the browser when {@code session} is null) and waits for its result. */
  JsonNode call(String session, String method, Map<String, ?> params) {
    int id = ids.incrementAndGet();
    ObjectNode msg = JSON.createObjectNode();
    msg.put("id", id);
    msg.put("method", method);
    msg.set("params", JSON.valueToTree(params));
    if (session != null) msg.put("sessionId", session);
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    synchronized (socket) {
      socket.sendText(msg.toString(), true).join();
    }
    JsonNode reply;
    try {
      reply = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(method + ": no answer from the browser in " + TIMEOUT.toSeconds() + " s; its output:\n" + output());
    } catch (Exception e) {
      throw new AssertionError(method + ": " + e.getMessage(), e);
    } finally {
      pending.remove(id);
    }
    if (reply.has("error")) throw new AssertionError(method + " failed: " + reply.get("error"));
    return reply.get("result");
  }

  @Override
  public void close() {
    try {
      if (socket != null) call(null, "Browser.close", Map.of());
    } catch (AssertionError e) {
      // closing anyway
    }
    destroy();
  }

  private void destroy() {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder part = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      part.append(data);
      if (last) {
        String text = part.toString();
        part.setLength(0);
        try {
          JsonNode msg = JSON.readTree(text);
          if (msg.has("id")) {
            CompletableFuture<JsonNode> f = pending.get(msg.get("id").asInt());
            if (f != null) f.complete(msg);
          } else if (msg.has("sessionId")) {
            Page p = pages.get(msg.get("sessionId").asText());
            if (p != null) p.event(msg);
          }
        } catch (IOException e) {
          pending.values().forEach(f -> f.completeExceptionally(e));
        }
      }
      ws.request(1);
      return null;
    }
  }

  /** One tab. */
  final class Page {
    final String target;
    final String session;
    private final List<JsonNode> events = new ArrayList<>();

    private Page(String target, String session) {
      this.target = target;
      this.session = session;
    }

    JsonNode call(String method, Map<String, ?> params) {
      return HeadlessChromium.this.call(session, method, params);
    }

    private void event(JsonNode msg) {
      synchronized (events) {
        events.add(msg);
        events.notifyAll();
      }
    }

    /** The events so far of a method, e.g. {@code Network.requestWillBeSent}, as their params. */
    List<JsonNode> events(String method) {
      synchronized (events) {
        return events.stream().filter(e -> method.equals(e.path("method").asText())).map(e -> e.get("params")).toList();
      }
    }

    private void await(String method, Predicate<JsonNode> which, int count) {
      long end = System.nanoTime() + TIMEOUT.toNanos();
      synchronized (events) {
        while (events(method).stream().filter(which).count() < count) {
          long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
          if (left <= 0) throw new AssertionError("no " + method + " in " + TIMEOUT.toSeconds() + " s; browser output:\n" + output());
          try {
            events.wait(left);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
          }
        }
      }
    }

    /**
     * Sets the viewport: {@code mobile} emulates a phone (the page is laid out at 980 px unless its viewport
     * meta tag says otherwise, as on a real phone).
     */
    void viewport(int width, int height, boolean mobile) {
      call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    }

    /** Emulates a CSS media type ({@code screen}, {@code print}). */
    void media(String type) {
      call("Emulation.setEmulatedMedia", Map.of("media", type));
    }

    /** Loads a file and waits for its load event. */
    void open(Path file) {
      int loads = events("Page.loadEventFired").size();
      JsonNode nav = call("Page.navigate", Map.of("url", file.toUri().toString()));
      if (nav.has("errorText")) throw new AssertionError("navigating to " + file + ": " + nav.get("errorText").asText());
      await("Page.loadEventFired", e -> true, loads + 1);
    }

    /** Evaluates a JavaScript expression (promises awaited) and returns its value. */
    JsonNode eval(String expression) {
      JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
      if (r.has("exceptionDetails")) throw new AssertionError("script failed: " + r.get("exceptionDetails") + "\n" + expression);
      return r.path("result").path("value");
    }

    /** A PNG of the whole page (beyond the viewport) at the current width. */
    byte[] screenshot() {
      JsonNode size = call("Page.getLayoutMetrics", Map.of()).get("cssContentSize");
      Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", size.get("width").asDouble(), "height", size.get("height").asDouble(), "scale", 1);
      return Base64.getDecoder().decode(call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true, "clip", clip))
          .get("data").asText());
    }

    /**
     * The page printed as the browser's print dialogue would with its defaults: background graphics off, the
     * page's own {@code @page} size (A4 paper otherwise).
     */
    byte[] pdf() {
      return Base64.getDecoder().decode(call("Page.printToPDF", Map.of("paperWidth", 8.27, "paperHeight", 11.69, "preferCSSPageSize", true,
          "printBackground", false)).get("data").asText());
    }
  }
}
