/**
 * Stores one artifact and says so at debug level. The debug line is the session's
 * acknowledgement: once it is printed the evidence is committed (the kill-loop test
 * relies on that). Whoever keeps an artifact says what it is (its attributes): the
 * store refuses none, but nothing downstream reads facts out of the label.
 */
import type { ArtifactAttributes, NewArtifact, StoredArtifact } from '../../store/store.js';
import type { StepEnv } from '../types.js';

export async function keepArtifact(env: StepEnv, artifact: NewArtifact & { attributes: ArtifactAttributes }): Promise<StoredArtifact> {
  const stored = await env.ctx.store.addArtifact(env.incident.id, artifact);
  env.ctx.log.debug(`kept artifact #${stored.id} ${stored.sha256} (${stored.label})`);
  return stored;
}
