import type { INestApplication } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ACCESS, type Access } from '../auth/principal';

/**
 * Who may call each route, by the operation id @nestjs/swagger gives it (`<Controller>_<method>`), read from the
 * same metadata the AuthGuard reads (handler first, then controller, default `project`).
 */
export function routeAccess(app: INestApplication): Map<string, Access> {
  const access = new Map<string, Access>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (!controller) continue;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined)
          continue;
        const level: Access =
          (Reflect.getMetadata(ACCESS, handler) as Access | undefined) ??
          (Reflect.getMetadata(ACCESS, controller) as Access | undefined) ??
          'project';
        access.set(`${controller.name}_${name}`, level);
      }
    }
  }
  return access;
}
