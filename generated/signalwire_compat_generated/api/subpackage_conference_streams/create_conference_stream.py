from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.compatibility_error_response import CompatibilityErrorResponse
from ...models.compatibility_error_string_array_response import CompatibilityErrorStringArrayResponse
from ...models.conference_stream_response import ConferenceStreamResponse
from ...models.create_conference_stream_request import CreateConferenceStreamRequest
from ...types import Response


def _get_kwargs(
    account_sid: UUID,
    conference_sid: UUID,
    *,
    body: CreateConferenceStreamRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/Accounts/{account_sid}/Conferences/{conference_sid}/Streams".format(
            account_sid=quote(str(account_sid), safe=""),
            conference_sid=quote(str(conference_sid), safe=""),
        ),
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CompatibilityErrorResponse | CompatibilityErrorStringArrayResponse | ConferenceStreamResponse | None:
    if response.status_code == 200:
        response_200 = ConferenceStreamResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = CompatibilityErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = CompatibilityErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = CompatibilityErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 422:
        response_422 = CompatibilityErrorStringArrayResponse.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CompatibilityErrorResponse | CompatibilityErrorStringArrayResponse | ConferenceStreamResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    account_sid: UUID,
    conference_sid: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: CreateConferenceStreamRequest,
) -> Response[CompatibilityErrorResponse | CompatibilityErrorStringArrayResponse | ConferenceStreamResponse]:
    """Create a Conference Stream

     Create a stream for an existing conference.
    #### Permissions
    The API token used to authenticate must have the following scope(s) enabled to make a successful
    request: _Voice_.
    [Learn more about API scopes](/docs/platform/your-signalwire-api-space).

    Args:
        account_sid (UUID):
        conference_sid (UUID):
        body (CreateConferenceStreamRequest): Request body for creating a conference stream.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CompatibilityErrorResponse | CompatibilityErrorStringArrayResponse | ConferenceStreamResponse]
    """

    kwargs = _get_kwargs(
        account_sid=account_sid,
        conference_sid=conference_sid,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    account_sid: UUID,
    conference_sid: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: CreateConferenceStreamRequest,
) -> CompatibilityErrorResponse | CompatibilityErrorStringArrayResponse | ConferenceStreamResponse | None:
    """Create a Conference Stream

     Create a stream for an existing conference.
    #### Permissions
    The API token used to authenticate must have the following scope(s) enabled to make a successful
    request: _Voice_.
    [Learn more about API scopes](/docs/platform/your-signalwire-api-space).

    Args:
        account_sid (UUID):
        conference_sid (UUID):
        body (CreateConferenceStreamRequest): Request body for creating a conference stream.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CompatibilityErrorResponse | CompatibilityErrorStringArrayResponse | ConferenceStreamResponse
    """

    return sync_detailed(
        account_sid=account_sid,
        conference_sid=conference_sid,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    account_sid: UUID,
    conference_sid: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: CreateConferenceStreamRequest,
) -> Response[CompatibilityErrorResponse | CompatibilityErrorStringArrayResponse | ConferenceStreamResponse]:
    """Create a Conference Stream

     Create a stream for an existing conference.
    #### Permissions
    The API token used to authenticate must have the following scope(s) enabled to make a successful
    request: _Voice_.
    [Learn more about API scopes](/docs/platform/your-signalwire-api-space).

    Args:
        account_sid (UUID):
        conference_sid (UUID):
        body (CreateConferenceStreamRequest): Request body for creating a conference stream.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CompatibilityErrorResponse | CompatibilityErrorStringArrayResponse | ConferenceStreamResponse]
    """

    kwargs = _get_kwargs(
        account_sid=account_sid,
        conference_sid=conference_sid,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    account_sid: UUID,
    conference_sid: UUID,
    *,
    client: AuthenticatedClient | Client,
    body: CreateConferenceStreamRequest,
) -> CompatibilityErrorResponse | CompatibilityErrorStringArrayResponse | ConferenceStreamResponse | None:
    """Create a Conference Stream

     Create a stream for an existing conference.
    #### Permissions
    The API token used to authenticate must have the following scope(s) enabled to make a successful
    request: _Voice_.
    [Learn more about API scopes](/docs/platform/your-signalwire-api-space).

    Args:
        account_sid (UUID):
        conference_sid (UUID):
        body (CreateConferenceStreamRequest): Request body for creating a conference stream.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CompatibilityErrorResponse | CompatibilityErrorStringArrayResponse | ConferenceStreamResponse
    """

    return (
        await asyncio_detailed(
            account_sid=account_sid,
            conference_sid=conference_sid,
            client=client,
            body=body,
        )
    ).parsed
