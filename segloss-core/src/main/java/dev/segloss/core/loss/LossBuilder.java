package dev.segloss.core.loss;

/**
 * Base of every loss builder: values are checked as they are set (the same checks the spec language
 * applies), and {@link #build()} makes an immutable loss.
 */
public abstract class LossBuilder<B extends LossBuilder<B, L>, L extends SegLoss> {
  private LossParams params;

  protected LossBuilder(LossType type) {
    this.params = type.defaults();
  }

  /** Sets a parameter by its spec name (snake_case). */
  public B set(String name, Object value) {
    params = params.with(name, value);
    return self();
  }

  /** Sets a parameter by its schema entry (what the typed setters of the builders use). */
  protected B set(Param p, Object value) {
    return set(p.name(), value);
  }

  public B reduction(Reduction r) {
    return set("reduction", r);
  }

  @SuppressWarnings("unchecked")
  private B self() {
    return (B) this;
  }

  @SuppressWarnings("unchecked")
  public L build() {
    return (L) params.type().create(params);
  }
}
