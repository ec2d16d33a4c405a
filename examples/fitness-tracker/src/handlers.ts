import { onOwnEvent } from '@listen-to-yourself/core';
import { DeviceSynced } from './contracts';
import { applyUpload, type HealthModel } from './health-model';

// #region handlers
/**
 * The self-consumer builds each user's health model from the uploads, in the order they were produced (the user
 * is the key). It sees the true stored history, so it is where a closed day or a device clock far off is judged.
 */
export const fitnessHandlers = [
  onOwnEvent(
    DeviceSynced,
    (model: HealthModel | undefined, e): HealthModel => {
      const decision = applyUpload(model, e.payload, e.meta.producedAt);
      if (decision.kind === 'refused') return model ?? emptyModel(e.payload.userId);
      return decision.model;
    },
    { entity: 'health' },
  ),
];
// #endregion handlers

function emptyModel(userId: string): HealthModel {
  return { userId, latestDay: '', days: {}, devices: {}, uploads: 0 };
}
