package dev.portico.launcher;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.time.Duration;

/**
 * Debian's headless Chromium driven through Debian's chromedriver (both paths given, so Selenium
 * never looks for or downloads a driver), with explicit waits sized for a slow, shared machine.
 * Used by the console's browser tests and by the screenshot and first-paint scripts.
 */
final class ConsoleBrowser implements AutoCloseable {

  static final String CHROMIUM = System.getProperty("portico.chromium", "/usr/bin/chromium");
  static final String CHROMEDRIVER = System.getProperty("portico.chromedriver", "/usr/bin/chromedriver");
  /** Generous: a 2-core machine shared with builds can stall a page for seconds. */
  private static final Duration WAIT = Duration.ofSeconds(30);

  final ChromeDriver driver;
  private final WebDriverWait wait;

  ConsoleBrowser(int width, int height) {
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
        "--window-size=" + width + "," + height);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    wait = new WebDriverWait(driver, WAIT);
  }

  static boolean available() {
    return new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
  }

  void open(String url) {
    driver.get(url);
  }

  WebElement visible(String css) {
    return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
  }

  void gone(String css) {
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(css)));
  }

  /** Waits until an element matching {@code css} shows {@code text} (as text, not markup). */
  WebElement withText(String css, String text) {
    By by = By.cssSelector(css);
    return wait.ignoring(StaleElementReferenceException.class).until(d -> d.findElements(by).stream()
        .filter(e -> e.isDisplayed() && e.getText().contains(text)).findFirst().orElse(null));
  }

  /** Clicks the element showing {@code text}, again if a re-render replaced it meanwhile. */
  void clickText(String css, String text) {
    wait.ignoring(StaleElementReferenceException.class).until(d -> {
      withText(css, text).click();
      return true;
    });
  }

  void click(String css) {
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
  }

  void type(String css, String text) {
    WebElement input = visible(css);
    input.clear();
    input.sendKeys(text);
  }

  void select(String css, String value) {
    new org.openqa.selenium.support.ui.Select(visible(css)).selectByValue(value);
  }

  /** Goes to a console page by its #fragment and waits for its heading. */
  void page(String fragment, String heading) {
    driver.executeScript("if (location.hash === arguments[0]) dispatchEvent(new HashChangeEvent('hashchange'));"
        + " else location.hash = arguments[0];", fragment);
    withText("#view h1", heading);
  }

  Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  void signIn(String url, String username, String password) {
    open(url);
    type("#signin-form [name=username]", username);
    type("#signin-form [name=password]", password);
    click("#signin-form button[type=submit]");
    visible("#nav");
  }

  @Override
  public void close() {
    driver.quit();
  }
}
