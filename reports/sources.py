"""What reports know about a scan source, and where in the world it is.

`SourceInfo` never holds credentials: `display` is the redacted URI that also appears in every
`Item.source` and `Finding.source`. `region` is an ISO 3166 alpha-2 country code or a cloud region
name; `country_of` turns either into a country so transfer rules can test EU/EEA membership.
"""

from __future__ import annotations

from dataclasses import dataclass

# EU member states (ISO 3166; Greece is GR, also written EL by the EU) plus the EEA states IS, LI, NO.
EU_EEA: frozenset[str] = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
})
# Countries with a European Commission adequacy decision (GDPR Art. 45); the US one (Data Privacy
# Framework) covers certified organisations only, so the US is deliberately not listed.
ADEQUATE: frozenset[str] = frozenset({
    "AD", "AR", "CA", "FO", "GG", "IL", "IM", "JP", "JE", "NZ", "KR", "CH", "GB", "UY",
})
# Cloud regions by prefix -> country. Longest prefix wins; unknown regions stay unknown (None).
_CLOUD_REGIONS: dict[str, str] = {
    # AWS
    "eu-west-1": "IE", "eu-west-2": "GB", "eu-west-3": "FR", "eu-central-1": "DE", "eu-central-2": "CH",
    "eu-north-1": "SE", "eu-south-1": "IT", "eu-south-2": "ES", "us-": "US", "ca-": "CA", "sa-east-1": "BR",
    "ap-northeast-1": "JP", "ap-northeast-2": "KR", "ap-northeast-3": "JP", "ap-south-1": "IN",
    "ap-southeast-1": "SG", "ap-southeast-2": "AU", "ap-east-1": "HK", "me-": "AE", "af-south-1": "ZA",
    # Google Cloud
    "europe-west1": "BE", "europe-west2": "GB", "europe-west3": "DE", "europe-west4": "NL",
    "europe-west6": "CH", "europe-west8": "IT", "europe-west9": "FR", "europe-north1": "FI",
    "europe-central2": "PL", "europe-southwest1": "ES", "us-central": "US", "us-east": "US", "us-west": "US",
    "northamerica-": "CA", "asia-northeast1": "JP", "australia-": "AU",
    # Azure
    "westeurope": "NL", "northeurope": "IE", "francecentral": "FR", "germanywestcentral": "DE",
    "swedencentral": "SE", "italynorth": "IT", "polandcentral": "PL", "switzerlandnorth": "CH",
    "uksouth": "GB", "ukwest": "GB", "eastus": "US", "westus": "US", "centralus": "US",
    "southcentralus": "US", "northcentralus": "US", "canadacentral": "CA", "japaneast": "JP",
}


def country_of(region: str | None) -> str | None:
    """ISO country for a country code or a known cloud region; None when unknown or unset."""
    if not region:
        return None
    text = region.strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    lowered = text.lower()
    best = None
    for prefix, country in _CLOUD_REGIONS.items():
        if lowered.startswith(prefix) and (best is None or len(prefix) > len(best[0])):
            best = (prefix, country)
    return best[1] if best else None


def in_eu_eea(region: str | None) -> bool | None:
    """True inside the EU/EEA, False outside, None when the region is unknown."""
    country = country_of(region)
    return None if country is None else country in EU_EEA


@dataclass(frozen=True)
class SourceInfo:
    """One scanned source as reports see it. Never holds credentials."""

    display: str  # redacted URI, equals Item.source / Finding.source
    scheme: str
    region: str | None  # ISO country code (LU, US, ...) or cloud region, from config


def item_region(told: str | None, source: SourceInfo | None) -> str | None:
    """Where an item's data lives: what the connector said about the item (`Facts.region`, e.g. an S3
    bucket's region), else its source's configured region, else None. The one precedence rule."""
    return told or (source.region if source is not None else None)
