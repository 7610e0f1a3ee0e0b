/**
 * Survey definitions change rarely and are read on every public request: the public function keeps
 * active ones for a few seconds per container. An edit or a close reaches every container within the
 * TTL; drafts and unknown ids are not kept, so publishing takes effect at once.
 */
import type { Survey, VersionedQuestion } from '../../domain/surveys/survey';
import type { SurveyStore } from '../../domain/surveys/survey-store';

export class CachedSurveyStore implements SurveyStore {
  private readonly cache = new Map<string, { at: number; value: Promise<Survey | undefined> }>();
  private readonly versions = new Map<string, Promise<VersionedQuestion[] | undefined>>();

  constructor(
    private readonly inner: SurveyStore,
    private readonly ttlMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  get(id: string): Promise<Survey | undefined> {
    const hit = this.cache.get(id);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = this.inner.get(id);
    this.cache.set(id, { at: this.now(), value });
    value.then(
      (survey) => survey?.status !== 'active' && this.cache.delete(id),
      () => this.cache.delete(id),
    );
    if (this.cache.size > 1000) this.cache.delete(this.cache.keys().next().value as string);
    return value;
  }

  /** Version snapshots are immutable once live, so they are kept for the container's life. */
  getVersion(id: string, version: number) {
    const key = `${id}#${version}`;
    let value = this.versions.get(key);
    if (!value) {
      value = this.inner.getVersion(id, version);
      this.versions.set(key, value);
      value.then(
        (v) => v === undefined && this.versions.delete(key),
        () => this.versions.delete(key),
      );
    }
    return value;
  }

  create(survey: Survey) {
    return this.inner.create(survey);
  }

  update(previous: Survey, next: Survey) {
    this.cache.delete(previous.id);
    return this.inner.update(previous, next);
  }

  list(options: Parameters<SurveyStore['list']>[0]) {
    return this.inner.list(options);
  }
}
