/** Users and security: user information, the user-to-person link, user groups, role assignments. */
import { INF, noYes, ref, text, utcDateTime } from '../define';
import type { EntitySpec } from '../define';
import { cdmBacked } from './cdm';
import { SYSTEM_SETUP_TEMPLATE } from './sources';

const area = 'System setup' as const;

export const SECURITY: readonly EntitySpec[] = [
  cdmBacked({
    label: 'User information',
    publicEntityName: 'SystemUser',
    publicCollectionName: 'SystemUsers',
    targetEntity: 'SystemUserEntity',
    area,
    companySpecific: false,
    keys: ['USERID'],
    fields: [
      text('UserID', 20, INF),
      text('AccountType', 60, INF),
      text('Alias', 80, INF),
      text('Company', 4, INF),
      text('DefaultCountryRegion', 10, INF),
      noYes('DocumentHandlingActive', INF),
      text('Email', 255, INF),
      noYes('Enabled', INF),
      text('Language', 7, INF),
      text('NetworkDomain', 255, INF),
      text('PersonName', 100, INF),
      text('PreferredLocale', 7, INF),
      text('PreferredTimeZone', 60, INF),
      noYes('SendNotificationsInEmail', INF),
      text('StartPage', 60, INF),
      text('UserName', 80, INF),
    ],
    cdm: 'System/SystemAdministration/SystemUserEntity.md',
    also: [SYSTEM_SETUP_TEMPLATE],
  }),
  cdmBacked({
    label: 'User to person relationship',
    publicEntityName: 'PersonUser',
    publicCollectionName: 'PersonUsers',
    targetEntity: 'DirPersonUserEntity',
    area,
    companySpecific: false,
    keys: ['USERID'],
    fields: [
      text('UserId', 20, INF),
      text('PartyNumber', 40, INF),
      text('PersonName', 100, INF),
      text('PersonNameAlias', 20, INF),
      text('PersonPrimaryEmail', 255, INF),
      text('UserEmail', 255, INF),
      utcDateTime('ValidFrom', INF),
      utcDateTime('ValidTo', INF),
    ],
    relations: [
      ref('USERID', 'SystemUserEntity', { inferred: true }),
      ref('PARTYNUMBER', 'DirPartyV2Entity', { inferred: true }),
    ],
    cdm: 'Common/GAB/DirPersonUserEntity.md',
    also: [SYSTEM_SETUP_TEMPLATE],
  }),
];
