import { defineEntity } from '@listen-to-yourself/core';
import { DeviceSynced, HealthModelUpdated, SyncRefused } from './contracts';
import { applyUpload, type HealthModel } from './health-model';

// #region handlers
/**
 * The self-consumer builds each user's health model from the uploads, in the order they were produced (the user
 * is the key). It sees the true stored history, so it is where a closed day or a device clock far off is judged.
 * What it decides is announced through the entity's outbox, in the same atomic write as the model: no dual write.
 */
export const HealthEntity = defineEntity<HealthModel>('health').on(DeviceSynced, (model, e, ctx) => {
  const { userId, deviceId, uploadId } = e.payload;
  const decision = applyUpload(model, e.payload, e.meta.producedAt);
  if (decision.kind === 'refused') {
    return ctx.reject(
      decision.reason,
      SyncRefused.of({ userId, deviceId, uploadId, reason: decision.reason }),
    );
  }
  ctx.emit(HealthModelUpdated.of(decision.update));
  return decision.model;
});
// #endregion handlers
